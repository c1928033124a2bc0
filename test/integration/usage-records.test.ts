import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { exportToOutbox } from '../../electron/core/bundles/app-export';
import { dispatch } from '../../electron/core/handlers';
import { reviewReport } from '../../electron/core/review/report';
import { secretUsage } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { openDataKey } from '../../electron/core/secrets/sealing';
import { usageLabel } from '../../electron/core/secrets/usage';
import { createAccount } from '../../electron/core/vault/accounts';
import { createCredential } from '../../electron/core/vault/credentials';
import type { Session } from '../../electron/core/vault/session';
import { addTeam } from '../../electron/core/vault/structure';
import type { Vault } from '../../electron/core/vault/vault';
import type { RestServer } from '../../electron/server/rest';
import { startRestServer } from '../../electron/server/rest';
import { contract } from '../../shared/ipc';
import type { UsageEntry } from '../../shared/schemas/secrets';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/** docs/product.md §2, "Where used": each door records who read a value, through which door, and how. */

const tempDir = useTempDir();
let vault: Vault;
let alice: Session;
const ids = new Map<string, string>();

const structured = (e: UsageEntry) => ({ who: e.who, door: e.door, how: e.how, detail: e.detail });
const usesOf = (name: string) => secretUsage(alice, { name }).entries;

beforeAll(async () => {
  ({ vault, session: alice } = await newVault(tempDir()));
  addTeam(alice, 'Backend');
  for (const name of ['rest-key', 'old-key']) {
    ids.set(name, registerSecret(alice, { type: 'api-key', name, level: 'organization', teams: ['Backend'], fields: { headerName: 'X-Key', value: `${name}-value` } }).id);
  }
  registerSecret(alice, { type: 'api-key', name: 'org-key', level: 'organization', fields: { headerName: 'X-Key', value: 'org-key-value' } });
});

describe('the window doors', () => {
  it.each(['desktop', 'browser'] as const)('%s: Reveal and Copy are recorded as the unlocked member, through the door, with how', async (door) => {
    const app = new CofferApp({ vaultPath: join(tempDir(), 'app.coffer'), door });
    const created = await dispatch(app, 'vault.create', { org: 'Acme', member: 'erin', password: PASSWORD, kdf: 'fast' });
    if (!created.ok) throw new Error(created.error.message);
    try {
      const s = app.session();
      const { id } = registerSecret(s, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'k-value' } });
      expect(await dispatch(app, 'secrets.reveal', { id })).toMatchObject({ ok: true });
      expect(await dispatch(app, 'secrets.copy', { id })).toMatchObject({ ok: true });
      const answer = await dispatch(app, 'secrets.usage', { id });
      if (!answer.ok) throw new Error(answer.error.message);
      const usage = contract['secrets.usage'].output.parse(answer.value);
      expect(usage.entries.map(structured)).toEqual([
        { who: 'erin', door, how: 'copy', detail: null },
        { who: 'erin', door, how: 'reveal', detail: null },
      ]);
      const doorName = door === 'desktop' ? 'desktop app' : 'browser mode';
      expect(usage.entries.map((e) => e.consumer)).toEqual([`erin · ${doorName} · copy`, `erin · ${doorName} · reveal`]);

      // An export from the window is a use through that door too.
      const exported = exportToOutbox(s, app.outbox, { selection: { kind: 'all' }, members: ['erin'] }, door);
      expect(exported.items).toBe(1);
      expect(structured(secretUsage(s, { id }).entries[0]!)).toEqual({ who: 'erin', door, how: 'export', detail: 'bundle' });
    } finally {
      app.close();
    }
  });
});

describe('the REST door', () => {
  let rest: RestServer;
  beforeAll(async () => {
    rest = await startRestServer(vault);
  });
  afterAll(async () => {
    await rest?.close();
  });
  const read = async (name: string, auth: string) => {
    const res = await fetch(`${rest.url}/api/secret/v1/secret/${name}`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
  };

  it('names the service credential, the door and an API read', async () => {
    const c = createCredential(alice, { name: 'ci', teams: ['Backend'] });
    await read('rest-key', `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`);
    expect(structured(usesOf('rest-key')[0]!)).toEqual({ who: 'credential:ci', door: 'rest', how: 'api', detail: null });
  });

  it('names the service account and which of its keys read', async () => {
    const account = createAccount(alice, { name: 'deployer', role: 'member' });
    const key = account.keys[0]!;
    await read('org-key', `Bearer ${key.secret}`);
    const [use] = usesOf('org-key');
    expect(structured(use!)).toEqual({ who: `account:deployer key ${key.keyId}`, door: 'rest', how: 'api', detail: null });
    expect(use!.consumer).toBe(`account:deployer key ${key.keyId} · REST API · API read`);
  });
});

describe('records written before who, door and how were kept', () => {
  it('still show, as the label they hold, in the usage list and the review', () => {
    const id = ids.get('old-key')!;
    const dataKey = openDataKey(alice, id)!;
    for (const label of ['desktop', 'run:./deploy.sh', '{"not":"a record"}']) {
      alice.db.stmt('INSERT INTO usage (secret_id, at, consumer) VALUES (?, ?, ?)').run(id, alice.ctx.clock.now(), usageLabel(alice, id, dataKey, new TextEncoder().encode(label)));
    }
    const entries = usesOf('old-key');
    expect(entries.map((e) => e.consumer).sort()).toEqual(['desktop', 'run:./deploy.sh', '{"not":"a record"}'].sort());
    for (const e of entries) expect(structured(e)).toEqual({ who: null, door: null, how: null, detail: null });
    const row = reviewReport(alice).secrets.find((s) => s.name === 'old-key')!;
    expect(row.usedBy).toEqual(expect.arrayContaining(['desktop', 'run:./deploy.sh']));
  });
});
