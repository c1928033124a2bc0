import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CofferError } from '../../../shared/errors';
import type { UsageDoor } from '../../../shared/schemas/secrets';
import { readForExport } from '../secrets/export-reading';
import type { Session } from '../vault/session';
import type { BundleSelection } from './export';
import { select } from './export';
import type { PlainFormat, PlainSecret } from './plain-formats';
import { PLAIN_FORMATS, renderPlain } from './plain-formats';

/** A plain export names what it writes: one workspace or named secrets, never "everything". */
export type PlainSelection = Extract<BundleSelection, { kind: 'workspace' } | { kind: 'secrets' }>;

export interface PlainExportOptions {
  out: string;
  format: PlainFormat;
  selection: PlainSelection;
  /** Replace an existing file (by a new one, created 0600, renamed over it). */
  force?: boolean;
  /** The door that exports: each secret's read is recorded as a use through it (docs/product.md §2). */
  door: UsageDoor;
}

export interface PlainExportResult {
  path: string;
  format: PlainFormat;
  items: number;
}

const alreadyExists = (path: string) => new CofferError('CONFLICT', `${path} already exists: choose another file, or --force to replace it`, 'out');
const cannotCreate = (path: string, e: unknown) =>
  (e as NodeJS.ErrnoException).code === 'EEXIST' ? alreadyExists(path) : new CofferError('VALIDATION', `cannot create ${path}`, 'out');

/** Creates `path` readable by its owner only, from the first byte on: no moment with wider permissions to chmod away. */
function writeNew(path: string, bytes: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    throw cannotCreate(path, e);
  }
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw cannotCreate(path, e);
  }
}

/** Writes the file whole or not at all; replacing goes through a new file so the old one's mode is never inherited. */
function writeFile(path: string, bytes: Uint8Array, force: boolean, tempName: string): void {
  if (!force) return writeNew(path, bytes);
  const temp = join(dirname(path), `.${basename(path)}.${tempName}.tmp`);
  writeNew(temp, bytes);
  try {
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw cannotCreate(path, e);
  }
}

/**
 * Writes the selected secrets' values in clear to a file (docs/plain-export.md). Each read is a
 * use (an export, `plain`) and the export one audit entry, in the transaction that writes
 * the file: if the file cannot be written, no use and no entry are kept.
 */
export function exportPlain(s: Session, opts: PlainExportOptions): PlainExportResult {
  s.assertUnlocked();
  if (!PLAIN_FORMATS.includes(opts.format)) throw new CofferError('VALIDATION', `the format is one of ${PLAIN_FORMATS.join(', ')}`, 'format');
  // Checked before any value is read, for a quick answer; the exclusive create below is what guarantees it.
  if (!opts.force && existsSync(opts.out)) throw alreadyExists(opts.out);
  const run = (): PlainExportResult => {
    const selected = select(s, opts.selection);
    if (selected.organization) s.authorize('bundle.exportOrganization');
    const workspaces = new Map([...s.roster.workspaces.values()].map((w) => [w.id, w.name]));
    const secrets: PlainSecret[] = [];
    readForExport(s, selected.filter, { door: opts.door, how: 'export', detail: 'plain' }, (row, payload) => {
      const workspace = row.workspace_id ? (workspaces.get(row.workspace_id) ?? null) : null;
      secrets.push({ name: payload.name, level: row.level, workspace, expires: payload.expires, created: row.created_at, updated: row.updated_at, content: payload.content });
    });
    const bytes = Buffer.from(renderPlain(opts.format, secrets), 'utf8');
    try {
      writeFile(opts.out, bytes, opts.force ?? false, s.ctx.random.uuid());
    } finally {
      bytes.fill(0);
    }
    s.audit('secret.export', `plaintext ${opts.format}: ${secrets.length} secret(s)`);
    return { path: opts.out, format: opts.format, items: secrets.length };
  };
  return s.vault.readOnly ? s.db.read(run) : s.db.write(run);
}
