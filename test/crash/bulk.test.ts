import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../electron/core/bundles/export';
import { inspectBundle } from '../../electron/core/bundles/open';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { registerSecrets } from '../../electron/core/secrets/registration';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { PASSWORD, useTempDirs } from '../integration/cli/run';
import { fakeClock, newVault } from '../support/vault';
import type { Tally } from './harness';
import { TIMEOUT_MS, killOnce, kills, killRepeatedly, lines, observe, planKill, reportKills, runAndKill } from './harness';

const PASSPHRASE = 'crash bundle passphrase';

const apiKeys = (prefix: string, n: number): RegisterSecretInput[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'api-key', name: `${prefix}${i}`, fields: { headerName: 'X-Key', value: `${prefix}-value-${i}` } }));

/**
 * Kills a command that starts from the same vault each time (a copy of `template`), so that
 * `before` and `after` are measured once: after is what one run left to finish wrote.
 */
async function killFromTemplate(wanted: number, dir: string, template: string, as: string, args: readonly string[], stdin: string, follow: (name: string) => boolean): Promise<Tally> {
  let n = 0;
  const fresh = () => {
    // A folder per copy: the CLI remembers each vault's audit head beside it, and every copy has one id.
    const at = join(dir, `run-${n++}`);
    mkdirSync(at);
    const vault = join(at, 'v.coffer');
    copyFileSync(template, vault);
    return { at, vault };
  };
  const see = (vault: string) => observe(vault, as, [PASSWORD], follow);
  const reference = fresh();
  const before = await see(reference.vault);
  const finished = await runAndKill(reference.vault, args, stdin, {});
  expect(finished.code, finished.stderr).toBe(0);
  const after = await see(reference.vault);
  expect(after).not.toEqual(before);
  rmSync(reference.at, { recursive: true });
  return killRepeatedly(wanted, async (i, tally) => {
    const { at, vault } = fresh();
    await killOnce(tally, () => runAndKill(vault, args, stdin, planKill(i, finished.workMs)), () => see(vault), before, after);
    rmSync(at, { recursive: true });
  });
}

describe.concurrent('SIGKILL during big writes: all of it or none of it', () => {
  const tmp = useTempDirs();

  it('importing a bundle of 3,000 secrets', { timeout: TIMEOUT_MS }, async () => {
    const dir = tmp();
    const source = await newVault(dir);
    await registerSecrets(source.session, apiKeys('b', 3000));
    // The bundle and the target are made in this process, as `coffer export` (the vault's fast
    // profile for the passphrase) and `coffer init` would: the command under test is the import.
    const bundle = join(dir, 'all.cofferbundle');
    exportBundle(source.session, { door: 'cli', out: bundle, selection: { kind: 'all' }, recipients: [{ kind: 'passphrase', passphrase: PASSPHRASE, profile: 'fast' }] });
    source.vault.close();
    const signer = inspectBundle(bundle).signer.fingerprint;
    const targetDir = join(dir, 'target');
    mkdirSync(targetDir);
    const target = await newVault(targetDir, { member: 'bob' });
    target.vault.close();
    const template = target.path;
    const follow = (name: string) => ['b0', 'b1234', 'b2999'].includes(name);
    const t = await killFromTemplate(kills(30), dir, template, 'bob', ['--password-stdin', 'import', bundle, '--trust-signer', signer], lines(PASSWORD, PASSPHRASE), follow);
    reportKills('bundle import of 3,000', t);
  });

  it('a scheduler pass that makes 10,000 secrets Inactive', { timeout: TIMEOUT_MS }, async () => {
    const dir = tmp();
    // Registered 47.5 days ago: past the 30 days of inactivity, 12.5 days before deletion, so the
    // pass inactivates all and purges none, and no notice falls due while the test runs.
    const made = await newVault(dir, { context: { clock: fakeClock(Date.now() - 47.5 * DAY_MS) } });
    await registerSecrets(made.session, apiKeys('t', 10_000));
    made.vault.close();
    const t = await killFromTemplate(kills(30), dir, made.path, 'alice', ['--password-stdin', 'tick'], lines(PASSWORD), () => false);
    reportKills('tick of 10,000', t);
  });
});
