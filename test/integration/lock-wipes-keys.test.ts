import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { initSodium } from '../../electron/core/crypto/sodium';
import type { KeyPairs } from '../../electron/core/crypto/keys';
import { dispatch } from '../../electron/core/handlers';
import type { Session } from '../../electron/core/vault/session';
import { PASSWORD, useTempDir } from '../support/vault';

/** What a session keeps in memory while unlocked (private: only this test looks inside). */
interface SessionKeys {
  keys: KeyPairs;
  scopes: Map<string, { key: Uint8Array }>;
  blindKeys: Map<string, Uint8Array>;
  integrityKeys: Map<string, Uint8Array>;
  index: unknown;
}
const keysOf = (s: Session) => s as unknown as SessionKeys;
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

const tmp = useTempDir();

it('locking through the door zeroes every key the session held and drops the decrypted names (SECURITY.md, "Memory")', async () => {
  await initSodium();
  const app = new CofferApp({ vaultPath: join(tmp(), 'v.coffer'), door: 'desktop' });
  const call = async (channel: string, input: unknown) => expect(await dispatch(app, channel, input)).toMatchObject({ ok: true });
  await call('vault.create', { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' });
  await call('workspaces.add', { name: 'Backend' });
  await call('secrets.register', { type: 'api-key', name: 'ws', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'v-1' } });
  await call('secrets.register', { type: 'api-key', name: 'own', fields: { headerName: 'X-Key', value: 'v-2' } });
  // A search derives each scope's blind-index key; the audit and settings MACs their integrity keys.
  await call('secrets.search', { query: 'w' });
  await call('settings.update', { revealSeconds: 20 });
  await call('audit.verify', {});

  const held = keysOf(app.session());
  const buffers = [
    held.keys.boxSecret,
    held.keys.signSecret,
    ...[...held.scopes.values()].map((s) => s.key),
    ...held.blindKeys.values(),
    ...held.integrityKeys.values(),
  ];
  // Organization, workspace and personal scopes; a blind key for each scope that holds a secret; the audit and settings keys.
  expect([held.scopes.size, held.blindKeys.size, held.integrityKeys.size >= 2]).toEqual([3, 2, true]);
  expect(buffers.some(isZero)).toBe(false);
  expect(held.index).toBeDefined();

  await call('vault.lock', {});
  expect(buffers.filter((b) => !isZero(b))).toEqual([]);
  expect([held.scopes.size, held.blindKeys.size, held.integrityKeys.size, held.index]).toEqual([0, 0, 0, undefined]);
  app.close();
});

it('locking through the door reclaims the dropped listing at once, not whenever the collector next runs', async () => {
  await initSodium();
  const app = new CofferApp({ vaultPath: join(tmp(), 'v.coffer'), door: 'browser' });
  const call = async (channel: string, input: unknown) => expect(await dispatch(app, channel, input)).toMatchObject({ ok: true });
  await call('vault.create', { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' });
  await call('secrets.register', { type: 'api-key', name: 'own', fields: { headerName: 'X-Key', value: 'v-1' } });
  await call('secrets.search', { query: 'ow' });
  const listing = new WeakRef(keysOf(app.session()).index as object);
  // A WeakRef's target lives at least until the job that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  await call('vault.lock', {});
  expect(listing.deref()).toBeUndefined();
  app.close();
});
