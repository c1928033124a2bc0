import { CofferError } from '../../../shared/errors';
import type { ImportResult, ImportStrategy } from '../../../shared/schemas/bundles';
import type { ImportUploadInput, UploadInspection, Uploaded } from '../../../shared/schemas/bundle-import';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_TEXT, importUploadInput, uploadInput } from '../../../shared/schemas/bundle-import';
import { parseInput } from '../../../shared/validation';
import type { Session } from '../vault/session';
import { fingerprint } from './format';
import type { Inbox, InboxFile } from './inbox';
import { importBundle } from './import';
import { importForeign } from './import-foreign';
import { detectFormat } from './importers/detect';
import { inspectBundle } from './open';
import { readHead } from './reader';

/**
 * The app's Import screen (docs/ui.md "Import"): a file uploaded into the core's inbox, inspected
 * without decrypting anything, previewed (a dry run) and imported with the chosen strategies, by
 * the same importBundle and importForeign the command line uses.
 */

/** Keeps an uploaded file in the inbox (the desktop window's bytes over IPC, or browser mode's `POST /upload`). */
export function acceptUpload(s: Session, inbox: Inbox, raw: { fileName: string; bytes: Uint8Array }): Uploaded {
  s.assertUnlocked();
  if (raw.bytes instanceof Uint8Array && raw.bytes.byteLength > MAX_UPLOAD_BYTES) {
    throw new CofferError('VALIDATION', `the file is larger than ${MAX_UPLOAD_TEXT}: import it with the command line (coffer import)`, 'file');
  }
  const input = parseInput(uploadInput, raw);
  if (input.bytes.byteLength === 0) throw new CofferError('VALIDATION', 'the file is empty', 'file');
  const id = s.ctx.random.uuid();
  const file = inbox.put(id, input.fileName.replace(/[\\/]/g, '_'), input.bytes, s.ctx.clock.now());
  return { id, fileName: file.fileName, bytes: file.bytes };
}

function uploadOf(inbox: Inbox, id: string): InboxFile {
  const file = inbox.get(id);
  if (!file) throw new CofferError('NOT_FOUND', 'that upload is gone (imported, or cleared at lock): choose the file again', 'file');
  return file;
}

/** The command line's advice, in the screen's words (the core's messages name its flags). */
const SCREEN_WORDS: [string, string][] = [
  ['pass --workspace NAME to import everything into one', 'choose one workspace for everything under Where'],
  ['name its format with --from', 'export it again as one of the formats listed'],
];

/** The same error naming the upload by its own file name instead of the inbox's path, and the screen's choices instead of flags. */
function reworded(file: InboxFile, e: unknown): unknown {
  if (!(e instanceof CofferError)) return e;
  let message = e.message.split(file.path).join(file.fileName);
  for (const [flag, words] of SCREEN_WORDS) message = message.split(flag).join(words);
  return message === e.message ? e : new CofferError(e.code, message, e.field);
}

function named<T>(file: InboxFile, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw reworded(file, e);
  }
}

async function namedAsync<T>(file: InboxFile, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw reworded(file, e);
  }
}

/** What the file is; for a bundle, its header checked against its signature, the signer matched against the verified roster. */
export function inspectUpload(s: Session, inbox: Inbox, id: string): UploadInspection {
  s.assertUnlocked();
  const file = uploadOf(inbox, id);
  return named(file, () => {
    const format = detectFormat(file.path);
    const base = { id, fileName: file.fileName, bytes: file.bytes, format };
    if (format !== 'bundle') return base;
    const info = inspectBundle(file.path);
    const head = readHead(file.path);
    const fp = fingerprint(head.signPublic);
    const member = [...s.roster.members.values()].find((m) => fingerprint(m.signPublic) === fp)?.login ?? null;
    const mine = fingerprint(s.keyPairs().boxPublic);
    const forMe = info.recipients.some((r) => r.kind === 'member' && r.fingerprint === mine);
    const hasPassphrase = info.recipients.some((r) => r.kind === 'passphrase');
    return {
      ...base,
      bundle: { ...info, signer: { ...info.signer, member }, needsPassphrase: !forMe && hasPassphrase, notForYou: !forMe && !hasPassphrase },
    };
  });
}

/** A dry run (`dryRun`) or the import itself, with the same choices; an applied upload leaves the inbox. */
export async function importUpload(s: Session, inbox: Inbox, raw: ImportUploadInput, dryRun: boolean): Promise<ImportResult> {
  s.assertUnlocked();
  const input = parseInput(importUploadInput, raw);
  const file = uploadOf(inbox, input.id);
  const perItem = new Map<number, ImportStrategy>(input.perItem.map((p) => [p.index, p.strategy]));
  const result = await namedAsync(file, async () => {
    const format = detectFormat(file.path);
    if (format === 'bundle') {
      return importBundle(s, file.path, {
        strategy: input.strategy,
        perItem,
        dryRun,
        workspace: input.workspace,
        passphrase: input.passphrase,
        trustedSigners: input.trustSigner === undefined ? [] : [input.trustSigner],
      });
    }
    const r = await importForeign(s, file.path, { format, strategy: input.strategy, perItem, dryRun, workspace: input.workspace, split: input.split });
    return { ...r, ...(r.source ? { source: { ...r.source, file: file.fileName } } : {}) };
  });
  if (!dryRun) inbox.discard(input.id);
  return result;
}
