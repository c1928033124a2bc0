import { readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptUpload, importUpload, inspectUpload } from '../../electron/core/bundles/app-import';
import { exportBundle } from '../../electron/core/bundles/export';
import { importBundle } from '../../electron/core/bundles/import';
import { Inbox } from '../../electron/core/bundles/inbox';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, restoreRevision, secretHistory } from '../../electron/core/secrets/revisions';
import { tablesDigest } from '../support/sql';
import { fakeClock, newVault, useTempDir } from '../support/vault';

const PASSPHRASE = 'an older bundle passphrase';

describe('an older bundle never silently replaces a newer revision', () => {
  const tempDir = useTempDir();

  /** "db" exported at its first value, then edited here: the bundle is older than ours. */
  async function arranged() {
    const clock = fakeClock();
    const v = await newVault(tempDir(), { context: { clock } });
    const s = v.session;
    registerSecret(s, { type: 'api-key', name: 'db', fields: { headerName: 'X-Key', value: 'first-value' } });
    const registered = clock.now();
    clock.advance(60_000);
    const bundle = join(tempDir(), 'older.cofferbundle');
    exportBundle(s, { door: 'cli', out: bundle, selection: { kind: 'all' }, recipients: [{ kind: 'passphrase', passphrase: PASSPHRASE, profile: 'fast' }] });
    clock.advance(60_000);
    editSecret(s, { ref: { name: 'db' }, fields: { value: 'newer-value' } });
    return { s, path: v.path, bundle, registered, edited: clock.now() };
  }

  const value = (s: Parameters<typeof getSecretValue>[0]) => getSecretValue(s, { name: 'db' }, { use: { door: 'cli', how: 'print' } }).value;

  it('reports a conflict, with both dates, when ours changed after theirs; the dry run writes nothing', async () => {
    const { s, path, bundle, registered, edited } = await arranged();
    const before = tablesDigest(path);
    const dry = await importBundle(s, bundle, { dryRun: true, passphrase: PASSPHRASE, strategy: 'theirs' });
    expect(tablesDigest(path)).toBe(before);
    expect(dry.counts).toEqual({ added: 0, changed: 0, conflicting: 1, unchanged: 0 });
    const item = dry.items[0]!;
    expect(item).toMatchObject({ name: 'db', status: 'conflicting', action: 'revise', ours: edited, theirs: registered });
    expect(item.ours!).toBeGreaterThan(item.theirs!);
  });

  it('keep mine (the default) keeps the newer value and writes no revision', async () => {
    const { s, bundle } = await arranged();
    const r = await importBundle(s, bundle, { passphrase: PASSPHRASE });
    expect(r.applied).toEqual({ added: 0, revised: 0, copies: 0, kept: 1 });
    expect(value(s)).toBe('newer-value');
    expect(secretHistory(s, { name: 'db' })).toHaveLength(2);
  });

  it('take theirs makes a new revision: the newer value stays in the history and can be restored', async () => {
    const { s, bundle } = await arranged();
    const r = await importBundle(s, bundle, { passphrase: PASSPHRASE, perItem: new Map([[0, 'theirs']]) });
    expect(r.applied).toEqual({ added: 0, revised: 1, copies: 0, kept: 0 });
    expect(value(s)).toBe('first-value');
    const history = secretHistory(s, { name: 'db' });
    expect(history.map((h) => [h.revision, h.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    restoreRevision(s, { name: 'db' }, 2);
    expect(value(s)).toBe('newer-value');
  });

  it('keep both adds the older one beside ours', async () => {
    const { s, bundle } = await arranged();
    const r = await importBundle(s, bundle, { passphrase: PASSPHRASE, strategy: 'both' });
    expect(r.items[0]).toMatchObject({ action: 'add-copy', importedAs: 'db (imported)' });
    expect(value(s)).toBe('newer-value');
    expect(getSecretValue(s, { name: 'db (imported)' }, { use: { door: 'cli', how: 'print' } }).value).toBe('first-value');
  });
});

describe('the app inbox (Import screen)', () => {
  const tempDir = useTempDir();

  it('keeps an upload owner-only, previews and applies it by id, then deletes it; lock clears the rest', async () => {
    const clock = fakeClock();
    const v = await newVault(tempDir(), { context: { clock } });
    const s = v.session;
    const inbox = new Inbox();
    const bytes = readFileSync(join(__dirname, '../fixtures/importers/bitwarden-personal.json'));
    const up = acceptUpload(s, inbox, { fileName: 'bitwarden.json', bytes: new Uint8Array(bytes) });
    const path = inbox.get(up.id)!.path;
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    }
    expect(inspectUpload(s, inbox, up.id)).toMatchObject({ format: 'bitwarden-json', fileName: 'bitwarden.json', bytes: bytes.length });
    const before = tablesDigest(v.path);
    const dry = await importUpload(s, inbox, { id: up.id }, true);
    expect(tablesDigest(v.path)).toBe(before);
    expect(dry.source?.file).toBe('bitwarden.json');
    expect(dry.counts.added).toBeGreaterThan(0);
    const applied = await importUpload(s, inbox, { id: up.id }, false);
    expect(applied.applied.added).toBe(dry.counts.added);
    expect(existsSync(path)).toBe(false);
    await expect(importUpload(s, inbox, { id: up.id }, true)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const other = acceptUpload(s, inbox, { fileName: 'x.env', bytes: new TextEncoder().encode('A=1\n') });
    const otherPath = inbox.get(other.id)!.path;
    inbox.clear();
    expect(existsSync(otherPath)).toBe(false);
    expect(existsSync(dirname(otherPath))).toBe(false);
  });

  it('refuses an empty file and a file that is no known format, naming the file and not the inbox path', async () => {
    const v = await newVault(tempDir());
    const inbox = new Inbox();
    expect(() => acceptUpload(v.session, inbox, { fileName: 'empty.txt', bytes: new Uint8Array() })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'file' }));
    const up = acceptUpload(v.session, inbox, { fileName: 'notes.txt', bytes: new TextEncoder().encode('just some words\nand more\n') });
    let message = '';
    try {
      inspectUpload(v.session, inbox, up.id);
    } catch (e) {
      message = (e as Error).message;
      expect(e).toMatchObject({ code: 'VALIDATION' });
    }
    expect(message).toContain('notes.txt');
    expect(message).not.toContain(inbox.get(up.id)!.path);
    inbox.clear();
  });
});
