import { CofferError } from '../../../shared/errors';
import type { BundleRecipientView } from '../../../shared/schemas/bundles';
import { bundlePassphrase } from '../../../shared/schemas/bundles';
import type { UsageDoor } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { KEY_BYTES, ad, seal } from '../crypto/aead';
import type { KdfProfile } from '../crypto/kdf';
import { calibrate, deriveKey } from '../crypto/kdf';
import { sealTo, wipe } from '../crypto/keys';
import type { ExportFilter } from '../secrets/export-reading';
import { readForExport } from '../secrets/export-reading';
import { resolveSecret } from '../secrets/reading';
import { rosterMemberByLogin } from '../vault/members';
import { findNamed } from '../vault/structure';
import type { Session } from '../vault/session';
import type { BundleHeader } from './format';
import { CHUNK_BYTES, FORMAT_VERSION, PASSPHRASE_CONTEXT, fingerprint, toB64 } from './format';
import { PROGRESS_STEP } from './open';
import { recordOf } from './records';
import { BundleWriter } from './writer';

/** What goes into a bundle: everything this member can read, one workspace, named secrets, or what a team reads. */
export type BundleSelection =
  | { kind: 'all' }
  | { kind: 'workspace'; name: string }
  | { kind: 'secrets'; names: string[] }
  | { kind: 'team'; name: string };

/**
 * Who can open it. `key` is a member of another vault, known by their X25519 public key (the CLI
 * names members of this vault); a service credential of this vault is named by its Client Id and
 * sealed to like a key, under the name `credential:NAME` (docs/bundle-format.md "Recipients").
 */
export type BundleRecipient =
  | { kind: 'member'; name: string }
  | { kind: 'key'; name: string; boxPublic: Uint8Array }
  | { kind: 'passphrase'; passphrase: string; profile: KdfProfile }
  | { kind: 'credential'; clientId: string };

export interface ExportOptions {
  out: string;
  selection: BundleSelection;
  recipients: BundleRecipient[];
  /** Called as secrets are written (every PROGRESS_STEP and at the end), for a door's progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** The door that exports: each secret's read is recorded as a use through it (docs/product.md §2). */
  door: UsageDoor;
}

export interface ExportResult {
  path: string;
  id: string;
  items: number;
  bytes: number;
  recipients: BundleRecipientView[];
}

interface Selected {
  filter: ExportFilter;
  count: number;
  organization: boolean;
  description: string;
}

function counted(s: Session, filter: ExportFilter, description: string): Selected {
  const r = s.db
    .query<{ n: number; org: number }>(`SELECT count(*) AS n, coalesce(max(s.level = 'organization'), 0) AS org FROM secrets s WHERE ${filter.where}`)
    .get(...filter.args)!;
  return { filter, count: r.n, organization: r.org === 1, description };
}

export function select(s: Session, sel: BundleSelection): Selected {
  switch (sel.kind) {
    case 'all': {
      // Every secret with a reader scope sealed to this member; the reading pass skips the others.
      // One plain scan of the wrapped keys, in key order (the secret first: DISTINCT needs no
      // temporary tree), counts them: probing per secret, or the scope index followed by a row
      // lookup per reader, took two to three times as long at 100,000.
      const scopes = JSON.stringify(s.readableScopes());
      const count = s.db.count(
        `SELECT count(DISTINCT secret_seq) AS n FROM reader_keys NOT INDEXED
         WHERE scope_num IN (SELECT num FROM scopes WHERE id IN (SELECT value FROM json_each(?)))`,
        scopes,
      );
      const readable = 'EXISTS (SELECT 1 FROM secret_readers g WHERE g.secret_id = s.id AND g.scope_id IN (SELECT value FROM json_each(?)))';
      const org = s.db.value<number>(`SELECT EXISTS (SELECT 1 FROM secrets s WHERE s.level = 'organization' AND ${readable}) AS org`, scopes);
      return { filter: { where: '1', args: [] }, count, organization: org === 1, description: 'everything readable' };
    }
    case 'workspace': {
      const ws = findNamed(s, 'workspace', sel.name);
      s.scopeKey(ws.scopeId);
      return counted(s, { where: 's.scope_id = ?', args: [ws.scopeId] }, `workspace ${ws.name}`);
    }
    case 'team': {
      const team = findNamed(s, 'team', sel.name);
      s.scopeKey(team.scopeId);
      return counted(s, { where: 's.id IN (SELECT secret_id FROM secret_readers WHERE scope_id = ?)', args: [team.scopeId] }, `team ${team.name}`);
    }
    case 'secrets': {
      if (sel.names.length === 0) throw new CofferError('VALIDATION', 'name at least one secret', 'secrets');
      const ids = new Set(sel.names.map((name) => resolveSecret(s, { name }).id));
      return counted(s, { where: 's.id IN (SELECT value FROM json_each(?))', args: [JSON.stringify([...ids])] }, `${ids.size} named secret(s)`);
    }
  }
}

interface Prepared {
  header: Omit<BundleHeader, 'items' | 'selection'>;
  bodyKey: Uint8Array;
  views: BundleRecipientView[];
}

/** A recipient known by an X25519 key, as the verified roster gives it for members and credentials of this vault. */
function keyRecipient(s: Session, r: Exclude<BundleRecipient, { kind: 'passphrase' }>): { name: string; boxPublic: Uint8Array } {
  if (r.kind === 'member') return { name: r.name, boxPublic: rosterMemberByLogin(s, r.name).boxPublic };
  if (r.kind === 'key') return r;
  const c = s.roster.credentials.get(r.clientId.trim());
  if (!c) throw new CofferError('NOT_FOUND', `no service credential with Client Id "${r.clientId}"`, 'to');
  return { name: `credential:${c.name}`, boxPublic: c.boxPublic };
}

/** Seals the body key to each recipient; the passphrase's Argon2id runs here, outside any transaction. */
function prepareRecipients(s: Session, recipients: BundleRecipient[]): Prepared {
  if (recipients.length === 0) throw new CofferError('VALIDATION', 'name at least one recipient: --to member:NAME or --passphrase', 'to');
  const id = s.ctx.random.uuid();
  const bodyKey = s.ctx.random.bytes(KEY_BYTES);
  const out: BundleHeader['recipients'] = [];
  const views: BundleRecipientView[] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    if (r.kind === 'passphrase') {
      if (seen.has('passphrase')) continue;
      seen.add('passphrase');
      const passphrase = parseInput(bundlePassphrase, r.passphrase, 'passphrase');
      const kdf = calibrate(r.profile, s.ctx.random);
      const key = deriveKey(passphrase, kdf);
      const wrappedKey = seal(key, bodyKey, ad(PASSPHRASE_CONTEXT, id), s.ctx.random);
      wipe(key);
      const { salt, ...limits } = kdf;
      out.push({ kind: 'passphrase', kdf: { ...limits, salt: toB64(salt) }, wrappedKey: toB64(wrappedKey) });
      views.push({ kind: 'passphrase', kdfProfile: kdf.profile, opslimit: kdf.opslimit, memlimit: kdf.memlimit });
      continue;
    }
    const { name, boxPublic } = keyRecipient(s, r);
    const fp = fingerprint(boxPublic);
    if (seen.has(fp)) continue;
    seen.add(fp);
    out.push({ kind: 'member', name, boxPublic: toB64(boxPublic), sealedKey: toB64(sealTo(boxPublic, bodyKey)) });
    views.push({ kind: 'member', name, fingerprint: fp });
  }
  const keys = s.keyPairs();
  return {
    bodyKey,
    views,
    header: {
      format: 'coffer-bundle',
      version: FORMAT_VERSION,
      id,
      created: s.ctx.clock.now(),
      organization: s.vault.meta().organization ?? '',
      chunkBytes: CHUNK_BYTES,
      signer: { name: s.member.login, signPublic: toB64(keys.signPublic) },
      recipients: out,
    },
  };
}

/**
 * Writes a signed, encrypted bundle of the selection, streaming: one page of secrets is decrypted
 * at a time and only one 64 KiB chunk of plaintext is buffered. Reads are recorded as uses and the
 * export as one audit entry, in the same transaction; a failure leaves neither file nor record.
 */
export function exportBundle(s: Session, opts: ExportOptions): ExportResult {
  s.assertUnlocked();
  const prepared = prepareRecipients(s, opts.recipients);
  const run = () => {
    const selected = select(s, opts.selection);
    if (selected.organization) s.authorize('bundle.exportOrganization');
    const workspaces = new Map([...s.roster.workspaces.values()].map((w) => [w.id, w.name]));
    const teams = new Map([...s.roster.teams.values()].map((t) => [t.scopeId, t.name]));
    const header: BundleHeader = { ...prepared.header, selection: selected.description, items: selected.count };
    const writer = new BundleWriter(opts.out, header, prepared.bodyKey);
    let written = 0;
    try {
      readForExport(s, selected.filter, { door: opts.door, how: 'export', detail: 'bundle' }, (row, payload, readerScopes) => {
        const teamNames = row.availability === 'teams' ? readerScopes.map((id) => teams.get(id)).filter((n): n is string => n !== undefined).sort() : null;
        const workspace = row.workspace_id ? (workspaces.get(row.workspace_id) ?? null) : null;
        writer.add(recordOf(payload, { level: row.level, workspace, teams: teamNames }, row.created_at, row.updated_at));
        if (opts.onProgress && ++written % PROGRESS_STEP === 0) opts.onProgress(written, header.items);
      });
      const bytes = writer.finish(s.keyPairs().signSecret);
      opts.onProgress?.(header.items, header.items);
      s.audit('bundle.export', `${header.id}: ${header.items} secrets`);
      return { path: opts.out, id: header.id, items: header.items, bytes, recipients: prepared.views };
    } catch (e) {
      writer.abort();
      throw e;
    }
  };
  try {
    return s.vault.readOnly ? s.db.read(run) : s.db.write(run);
  } finally {
    wipe(prepared.bodyKey);
  }
}
