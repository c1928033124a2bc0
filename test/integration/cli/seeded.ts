import { Vault } from '../../../electron/core/vault/vault';
import type { Session } from '../../../electron/core/vault/session';
import type { Member } from './run';
import { PASSWORD, member } from './run';

/**
 * A vault made in this process, as `coffer init --kdf fast` makes it (the same Vault.create), then
 * set up through electron/core by `build`, unlocked as its first member: for tests whose setup is
 * not the command they test. Every CLI command of a setup costs a Node start-up, about half a
 * second of CPU; this costs one fast-profile unlock. Returns the first member's CLI, as initVault.
 */
export async function seededVault(
  path: string,
  build: (first: Session) => unknown = () => undefined,
  opts: { org?: string; member?: string; password?: string } = {},
): Promise<Member> {
  const password = opts.password ?? PASSWORD;
  await asMember(await Vault.create(path, { org: opts.org ?? 'Acme', member: opts.member ?? 'alice', password, kdf: 'fast' }), undefined, password, build);
  return member(path, password);
}

/** Unlocks `vault` as `login` (its only member when undefined), runs `fn`, then locks and closes it whatever happens. */
export async function asMember<T>(vault: Vault, login: string | undefined, password: string, fn: (s: Session) => T | Promise<T>): Promise<T> {
  try {
    const session = await vault.unlock(login, password);
    try {
      return await fn(session);
    } finally {
      session.lock();
    }
  } finally {
    vault.close();
  }
}
