import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportStrategy } from '../../shared/schemas/bundles';
import type { RegisterSecretInput, SecretType } from '../../shared/schemas/secrets';
import { LEVELS, SECRET_TYPES } from '../../shared/schemas/secrets';
import { exportBundle } from '../../electron/core/bundles/export';
import { fingerprint } from '../../electron/core/bundles/format';
import { importBundle } from '../../electron/core/bundles/import';
import { inspectBundle } from '../../electron/core/bundles/open';
import { listAudit } from '../../electron/core/audit/log';
import { getSecretValue, listSecrets, secretUsage } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { addTeam, addWorkspace } from '../../electron/core/vault/structure';
import type { Session } from '../../electron/core/vault/session';
import { Vault } from '../../electron/core/vault/vault';
import type { CertFixtures } from '../support/certs';
import { file } from '../support/certs';
import { useCertFixtures } from '../support/fixtures';
import { tablesDigest } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

const WORKSPACE = 'Backend';
const TEAM = 'Platform';
const PASSPHRASE = 'bundle passphrase of the test';

function fieldsFor(type: SecretType, fx: CertFixtures, tag: string): RegisterSecretInput['fields'] {
  switch (type) {
    case 'api-key':
      return { headerName: 'X-Api-Key', value: `sk_${tag}` };
    case 'bearer-token':
      return { headerName: 'Authorization', headerValue: `Bearer ${tag}` };
    case 'client-credentials':
      return { clientId: `client-${tag}`, url: 'https://idp.example.com/token', clientSecret: `cs-${tag}` };
    case 'certificate':
      return { certificate: file('site.pem', fx.pem), privateKey: file('site.key', fx.key) };
    case 'key-value':
      return { pairs: [{ key: 'DB_USER', value: `user-${tag}` }, { key: 'DB_PASS', value: `pass ${tag} "q"` }] };
  }
}

/** One secret of every type at every level (organization both entire and for a team). */
function everyKind(fx: CertFixtures): RegisterSecretInput[] {
  const out: RegisterSecretInput[] = [];
  for (const level of LEVELS) {
    for (const type of SECRET_TYPES) {
      const place = level === 'workspace' ? { level, workspace: WORKSPACE } : { level };
      const expires = type === 'certificate' ? {} : { expires: '2027-06-30' };
      out.push({ type, name: `${level} ${type}`, ...place, ...expires, fields: fieldsFor(type, fx, `${level}-${type}`) } as RegisterSecretInput);
    }
  }
  out.push({ type: 'api-key', name: 'team key', level: 'organization', teams: [TEAM], fields: { headerName: 'X-Team', value: 'team-only-value' } });
  return out;
}

async function structured(dir: string, member: string) {
  const v = await newVault(dir, { member, context: { clock: fakeClock() } });
  addWorkspace(v.session, WORKSPACE);
  addTeam(v.session, TEAM);
  return v;
}

/** Everything a reader sees of each secret: place, type, expiry and every field with its value. */
function snapshot(s: Session) {
  return listSecrets(s)
    .items.map((i) => {
      const ref = { name: i.name, level: i.level, ...(i.workspace ? { workspace: i.workspace } : {}) };
      const { fields } = getSecretValue(s, ref, { use: { door: 'cli', how: 'print' } });
      return { name: i.name, type: i.type, level: i.level, workspace: i.workspace, teams: i.teams, availability: i.availability, expires: i.expires, fields };
    })
    .sort((a, b) => `${a.level}/${a.name}`.localeCompare(`${b.level}/${b.name}`));
}

describe('bundles: round trip to a second vault', () => {
  const tempDir = useTempDir();
  const certs = useCertFixtures();

  it.each(['member', 'passphrase'] as const)('every type at every level, to a %s recipient, arrives with every field equal', async (kind) => {
    const a = await structured(tempDir(), 'alice');
    const b = await structured(tempDir(), 'bob');
    await registerSecrets(a.session, everyKind(certs()));
    const out = join(tempDir(), 'all.cofferbundle');
    const recipient =
      kind === 'member'
        ? { kind: 'key' as const, name: 'bob', boxPublic: b.session.keyPairs().boxPublic }
        : { kind: 'passphrase' as const, passphrase: PASSPHRASE, profile: 'fast' as const };
    const exported = exportBundle(a.session, { door: 'cli', out, selection: { kind: 'all' }, recipients: [recipient] });
    expect(exported.items).toBe(16);

    const info = inspectBundle(out, b.vault.db);
    expect(info).toMatchObject({ items: 16, organization: 'Acme', signer: { name: 'alice', member: null } });
    const bytes = readFileSync(out);
    for (const value of ['sk_workspace-api-key', 'team-only-value', 'DB_PASS', 'BEGIN CERTIFICATE', 'personal api-key']) {
      expect(bytes.includes(Buffer.from(value))).toBe(false);
    }

    const signer = fingerprint(a.session.keyPairs().signPublic);
    const result = await importBundle(b.session, out, { trustedSigners: [signer], ...(kind === 'passphrase' ? { passphrase: PASSPHRASE } : {}) });
    expect(result.counts).toEqual({ added: 16, changed: 0, conflicting: 0, unchanged: 0 });
    expect(result.applied).toEqual({ added: 16, revised: 0, copies: 0, kept: 0 });
    expect(snapshot(b.session)).toEqual(snapshot(a.session));

    // Importing the same bundle again changes nothing.
    const again = await importBundle(b.session, out, { trustedSigners: [signer], strategy: 'theirs', passphrase: PASSPHRASE });
    expect(again.counts.unchanged).toBe(16);
    expect(again.applied.revised).toBe(0);
  });

  it('a secret larger than a chunk and hundreds of small ones cross chunk boundaries intact', async () => {
    const a = await structured(tempDir(), 'alice');
    const b = await structured(tempDir(), 'bob');
    const big = Array.from({ length: 900 }, (_, i) => ({ key: `KEY_${i}`, value: `${i}-${'v'.repeat(1000)}` }));
    registerSecret(a.session, { type: 'key-value', name: 'big set', fields: { pairs: big } });
    await registerSecrets(
      a.session,
      Array.from({ length: 400 }, (_, i) => ({ type: 'api-key' as const, name: `key ${i}`, fields: { headerName: 'X-Key', value: `value-${i}-${'x'.repeat(i)}` } })),
    );
    const out = join(tempDir(), 'big.cofferbundle');
    const r = exportBundle(a.session, { door: 'cli', out, selection: { kind: 'all' }, recipients: [{ kind: 'key', name: 'bob', boxPublic: b.session.keyPairs().boxPublic }] });
    expect(r.bytes).toBeGreaterThan(16 * 65536);
    await importBundle(b.session, out, { trustedSigners: [fingerprint(a.session.keyPairs().signPublic)] });
    expect(snapshot(b.session)).toEqual(snapshot(a.session));
  });

  it('exports a workspace, named secrets or what a team reads; records each read and audits once', async () => {
    const a = await structured(tempDir(), 'alice');
    await registerSecrets(a.session, everyKind(certs()));
    const to = [{ kind: 'member' as const, name: 'alice' }];
    const count = (selection: Parameters<typeof exportBundle>[1]['selection'], name: string) =>
      exportBundle(a.session, { door: 'cli', out: join(tempDir(), name), selection, recipients: to }).items;
    expect(count({ kind: 'workspace', name: 'backend' }, 'ws.cofferbundle')).toBe(5);
    expect(count({ kind: 'team', name: TEAM }, 'team.cofferbundle')).toBe(1);
    expect(count({ kind: 'secrets', names: ['team key', 'personal api-key'] }, 'two.cofferbundle')).toBe(2);
    expect(secretUsage(a.session, { name: 'team key' }).entries.map((e) => e.consumer)).toEqual(['alice · CLI · export (bundle)', 'alice · CLI · export (bundle)']);
    const audit = listAudit(a.session.db, { action: 'bundle' });
    expect(audit.map((e) => e.action)).toEqual(['bundle.export', 'bundle.export', 'bundle.export']);
    expect(JSON.stringify(audit)).not.toMatch(/sk_|team-only/);
    expect(() => exportBundle(a.session, { door: 'cli', out: join(tempDir(), 'x.cofferbundle'), selection: { kind: 'all' }, recipients: [{ kind: 'credential', clientId: 'c' }] })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', field: 'to' }),
    );
  });

  it('refuses a bundle that is not addressed to this member, a wrong passphrase, and an unknown signer', async () => {
    const a = await structured(tempDir(), 'alice');
    const b = await structured(tempDir(), 'bob');
    registerSecret(a.session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'v-secret-1' } });
    const toAlice = join(tempDir(), 'alice.cofferbundle');
    exportBundle(a.session, { door: 'cli', out: toAlice, selection: { kind: 'all' }, recipients: [{ kind: 'member', name: 'alice' }] });
    const signer = fingerprint(a.session.keyPairs().signPublic);
    const before = tablesDigest(b.path);
    await expect(importBundle(b.session, toAlice)).rejects.toThrow(expect.objectContaining({ code: 'AUTH', field: 'signer' }));
    await expect(importBundle(b.session, toAlice, { trustedSigners: [signer] })).rejects.toThrow(expect.objectContaining({ code: 'AUTH', message: expect.stringMatching(/not addressed to you/) }));
    const byPass = join(tempDir(), 'pass.cofferbundle');
    exportBundle(a.session, { door: 'cli', out: byPass, selection: { kind: 'all' }, recipients: [{ kind: 'passphrase', passphrase: PASSPHRASE, profile: 'fast' }] });
    await expect(importBundle(b.session, byPass, { trustedSigners: [signer], passphrase: 'not the passphrase' })).rejects.toThrow(
      expect.objectContaining({ code: 'AUTH', field: 'passphrase' }),
    );
    expect(tablesDigest(b.path)).toBe(before);
  });

  it('a Member exports a workspace but not organization secrets; a read-only vault exports without writing', async () => {
    const a = await structured(tempDir(), 'alice');
    await registerSecrets(a.session, everyKind(certs()));
    addMember(a.session, { name: 'dave', role: 'member', password: PASSWORD });
    const dave = await a.vault.unlock('dave', PASSWORD);
    const to = [{ kind: 'member' as const, name: 'alice' }];
    expect(() => exportBundle(dave, { door: 'cli', out: join(tempDir(), 'all.cofferbundle'), selection: { kind: 'all' }, recipients: to })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(exportBundle(dave, { door: 'cli', out: join(tempDir(), 'ws.cofferbundle'), selection: { kind: 'workspace', name: WORKSPACE }, recipients: to }).items).toBe(5);
    a.session.lock();
    a.vault.close();
    const before = tablesDigest(a.path);
    const readOnly = await Vault.open(a.path, { readOnly: true });
    const session = await readOnly.unlock('alice', PASSWORD);
    expect(exportBundle(session, { door: 'cli', out: join(tempDir(), 'ro.cofferbundle'), selection: { kind: 'all' }, recipients: to }).items).toBe(16);
    readOnly.close();
    expect(tablesDigest(a.path)).toBe(before);
  });

  it("everything a member can read, and nothing else: another's personal secrets and a team's they are not in stay out", async () => {
    const a = await structured(tempDir(), 'alice');
    await registerSecrets(a.session, everyKind(certs()));
    addMember(a.session, { name: 'carol', role: 'account-manager', password: PASSWORD });
    const carol = await a.vault.unlock('carol', PASSWORD);
    const readable = listSecrets(carol).items.map((i) => i.name).sort();
    expect(readable.length).toBeLessThan(16);
    const out = join(tempDir(), 'carol-all.cofferbundle');
    expect(exportBundle(carol, { door: 'cli', out, selection: { kind: 'all' }, recipients: [{ kind: 'member', name: 'alice' }] }).items).toBe(readable.length);
    const r = await importBundle(a.session, out, { dryRun: true });
    expect(r.counts.added + r.counts.changed + r.counts.conflicting + r.counts.unchanged).toBe(readable.length);
  });

  it('a second member of the same vault imports a bundle addressed to them; the signer is known', async () => {
    const a = await structured(tempDir(), 'alice');
    addMember(a.session, { name: 'carol', role: 'account-manager', password: PASSWORD });
    registerSecret(a.session, { type: 'api-key', name: 'shared', fields: { headerName: 'X-Key', value: 'v1' } });
    const out = join(tempDir(), 'carol.cofferbundle');
    exportBundle(a.session, { door: 'cli', out, selection: { kind: 'secrets', names: ['shared'] }, recipients: [{ kind: 'member', name: 'carol' }] });
    const carol = await a.vault.unlock('carol', PASSWORD);
    const r = await importBundle(carol, out);
    expect(r.bundle.signer.member).toBe('alice');
    expect(r.counts.added).toBe(1);
    expect(getSecretValue(carol, { name: 'shared', level: 'personal' }, { use: { door: 'cli', how: 'print' } }).value).toBe('v1');
  });
});

type Status = 'added' | 'changed' | 'conflicting' | 'unchanged';

describe('bundles: merge strategies', () => {
  const tempDir = useTempDir();

  /**
   * One vault exports four secrets, then the import target is arranged so each lands in one state:
   * absent (added), older here (changed), edited here after the export (conflicting), equal (unchanged).
   */
  async function arranged() {
    const clock = fakeClock();
    const v = await newVault(tempDir(), { context: { clock } });
    const s = v.session;
    const add = (name: string, value: string) => registerSecret(s, { type: 'api-key', name, fields: { headerName: 'X-Key', value } });
    add('changed', 'old-here');
    add('conflicting', 'old-here');
    add('unchanged', 'same');
    clock.advance(60_000);
    // The bundle: "theirs" as another copy of this vault would have them a minute later.
    add('added', 'new-there');
    editSecret(s, { ref: { name: 'changed' }, fields: { value: 'new-there' } });
    editSecret(s, { ref: { name: 'conflicting' }, fields: { value: 'new-there' } });
    const out = join(tempDir(), 'theirs.cofferbundle');
    exportBundle(s, { door: 'cli', out, selection: { kind: 'all' }, recipients: [{ kind: 'member', name: 'alice' }] });
    // Back here: "added" never existed, "changed" is the old value, "conflicting" was edited after.
    const target = await newVault(tempDir(), { context: { clock } });
    const t = target.session;
    clock.set(clock.now() - 120_000);
    registerSecret(t, { type: 'api-key', name: 'changed', fields: { headerName: 'X-Key', value: 'old-here' } });
    registerSecret(t, { type: 'api-key', name: 'conflicting', fields: { headerName: 'X-Key', value: 'old-here' } });
    registerSecret(t, { type: 'api-key', name: 'unchanged', fields: { headerName: 'X-Key', value: 'same' } });
    clock.set(clock.now() + 240_000);
    editSecret(t, { ref: { name: 'conflicting' }, fields: { value: 'mine-edited' } });
    // Re-address the bundle to the target's member: export again from the source to the target key.
    const bundle = join(tempDir(), 'to-target.cofferbundle');
    exportBundle(s, { door: 'cli', out: bundle, selection: { kind: 'all' }, recipients: [{ kind: 'key', name: 'alice', boxPublic: t.keyPairs().boxPublic }] });
    return { source: s, target: t, path: target.path, bundle, signer: fingerprint(s.keyPairs().signPublic) };
  }

  const value = (s: Session, name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;
  const names = (s: Session) => listSecrets(s).items.map((i) => i.name).sort();

  const table: { strategy: ImportStrategy; values: Record<string, string>; extra: string[]; revisions: Record<string, number> }[] = [
    { strategy: 'mine', values: { added: 'new-there', changed: 'old-here', conflicting: 'mine-edited', unchanged: 'same' }, extra: [], revisions: { changed: 1, conflicting: 2 } },
    { strategy: 'theirs', values: { added: 'new-there', changed: 'new-there', conflicting: 'new-there', unchanged: 'same' }, extra: [], revisions: { changed: 2, conflicting: 3 } },
    {
      strategy: 'both',
      values: { added: 'new-there', changed: 'old-here', conflicting: 'mine-edited', unchanged: 'same', 'changed (imported)': 'new-there', 'conflicting (imported)': 'new-there' },
      extra: ['changed (imported)', 'conflicting (imported)'],
      revisions: { changed: 1, conflicting: 2 },
    },
  ];

  it.each(table)('$strategy', async ({ strategy, values, extra, revisions }) => {
    const { target, path, bundle, signer } = await arranged();
    const before = tablesDigest(path);
    const dry = await importBundle(target, bundle, { strategy, dryRun: true, trustedSigners: [signer] });
    expect(tablesDigest(path)).toBe(before);
    const statuses = Object.fromEntries(dry.items.map((i) => [i.name, i.status])) as Record<string, Status>;
    expect(statuses).toEqual({ added: 'added', changed: 'changed', conflicting: 'conflicting', unchanged: 'unchanged' });
    expect(dry.counts).toEqual({ added: 1, changed: 1, conflicting: 1, unchanged: 1 });

    const r = await importBundle(target, bundle, { strategy, trustedSigners: [signer] });
    expect(r.items.map((i) => i.action)).toEqual(dry.items.map((i) => i.action));
    expect(names(target)).toEqual(['added', 'changed', 'conflicting', 'unchanged', ...extra].sort());
    for (const [name, v] of Object.entries(values)) expect(value(target, name)).toBe(v);
    for (const [name, n] of Object.entries(revisions)) expect(secretHistory(target, { name }).length).toBe(n);
    // No value is lost: what "theirs" replaced is still in history.
    if (strategy === 'theirs') expect(secretHistory(target, { name: 'conflicting' }).map((h) => h.revision)).toEqual([3, 2, 1]);
    expect(listAudit(target.db, { action: 'bundle' }).map((e) => e.action)).toEqual(['bundle.import']);
  });

  it('per-item choices override the strategy', async () => {
    const { target, bundle, signer } = await arranged();
    const dry = await importBundle(target, bundle, { dryRun: true, trustedSigners: [signer] });
    const conflictAt = dry.items.findIndex((i) => i.name === 'conflicting');
    const r = await importBundle(target, bundle, { strategy: 'mine', perItem: new Map([[conflictAt, 'theirs']]), trustedSigners: [signer] });
    expect(r.applied).toEqual({ added: 1, revised: 1, copies: 0, kept: 2 });
    expect(value(target, 'conflicting')).toBe('new-there');
    expect(value(target, 'changed')).toBe('old-here');
  });

  it('imports into one named workspace with --workspace; a missing workspace is refused before anything is written', async () => {
    const { target, path, bundle, signer } = await arranged();
    const before = tablesDigest(path);
    await expect(importBundle(target, bundle, { workspace: 'Nope', trustedSigners: [signer] })).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(tablesDigest(path)).toBe(before);
    addWorkspace(target, 'Imported');
    const r = await importBundle(target, bundle, { workspace: 'Imported', trustedSigners: [signer] });
    expect(r.counts.added).toBe(4);
    expect(listSecrets(target, { workspace: 'Imported' }).items).toHaveLength(4);
  });

  it('a bundle altered on disk is refused and nothing is written', async () => {
    const { target, path, bundle, signer } = await arranged();
    const bytes = readFileSync(bundle);
    bytes[bytes.length - 70]! ^= 0x20;
    writeFileSync(bundle, bytes);
    const before = tablesDigest(path);
    await expect(importBundle(target, bundle, { trustedSigners: [signer] })).rejects.toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(tablesDigest(path)).toBe(before);
  });
});
