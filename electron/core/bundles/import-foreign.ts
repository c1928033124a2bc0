import { basename } from 'node:path';
import { CofferError } from '../../../shared/errors';
import type { ImportResult } from '../../../shared/schemas/bundles';
import type { RegisterSecretInput } from '../../../shared/schemas/secrets';
import { normalizeName } from '../crypto/keys';
import type { Session } from '../vault/session';
import { addWorkspace, findNamed } from '../vault/structure';
import type { ImportOptions, SourceRecord } from './import';
import { appliedText, importRecords } from './import';
import { detectFormat } from './importers/detect';
import type { EntrySink, ForeignEntry, ForeignFormat, SkippedEntry } from './importers/foreign';
import { parserFor } from './importers/index';
import { FileNames, placeEntry } from './importers/mapping';

export interface ForeignImportOptions extends Pick<ImportOptions, 'strategy' | 'perItem' | 'dryRun' | 'workspace'> {
  /** Detected from the file's first KiB when left out. */
  format?: ForeignFormat;
  /** `.env`: one secret per line. */
  split?: boolean;
}

/** The workspaces a file's top groups name: existing ones by their own spelling, the others to create. */
class Workspaces {
  private readonly known = new Map<string, string>();
  readonly missing: string[] = [];

  constructor(private readonly s: Session) {}

  resolve(name: string): string {
    const key = normalizeName(name);
    let found = this.known.get(key);
    if (found === undefined) {
      found = this.s.roster.placeByName('workspace', name)?.name;
      if (found === undefined) {
        found = name;
        this.missing.push(name);
      }
      this.known.set(key, found);
    }
    return found;
  }
}

/**
 * Reads a foreign file into records by the mapping rules (importers/mapping.ts), then imports
 * them as a bundle's are: compared, planned and applied in one transaction with one audit entry.
 * The file is read before the transaction (a parser may need the event loop); what waits in memory
 * meanwhile is the mapped secrets, not the file.
 */
export async function importForeign(
  s: Session,
  path: string,
  opts: ForeignImportOptions = {},
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  s.assertUnlocked();
  const found = opts.format ?? detectFormat(path);
  if (found === 'bundle') throw new CofferError('VALIDATION', `${path} is a Coffer bundle: import it without --from`, 'from');
  const format: ForeignFormat = found;
  const parse = parserFor(format);
  const given = opts.workspace === undefined ? undefined : findNamed(s, 'workspace', opts.workspace).name;
  const workspaces = new Workspaces(s);
  const names = new FileNames();
  const records: SourceRecord[] = [];
  const sources: string[] = [];
  const skipped: SkippedEntry[] = [];
  const sink: EntrySink = {
    entry(e: ForeignEntry) {
      const mapped = placeEntry(e, given);
      skipped.push(...mapped.skipped);
      if (!mapped.secret) return;
      const input = mapped.secret.level === 'workspace' && given === undefined ? { ...mapped.secret, workspace: workspaces.resolve(mapped.secret.workspace) } : mapped.secret;
      const name = names.claim(input, input.name);
      records.push({ input: { ...input, name } as RegisterSecretInput, created: e.created ?? 0, updated: e.updated ?? 0, ...(name !== input.name ? { renamedFrom: input.name } : {}) });
      sources.push(e.source);
    },
    skipped: (x) => skipped.push(x),
    progress: onProgress,
  };
  await parse(path, sink, { split: opts.split });
  const create = workspaces.missing;
  if (create.length && !s.may('workspace.create')) {
    throw new CofferError(
      'VALIDATION',
      `the file's top groups would become new workspaces (${create.join(', ')}), which your role cannot create: pass --workspace NAME to import everything into one`,
      'workspace',
    );
  }
  const outcome = importRecords(
    s,
    {
      read: (each) => records.forEach(each),
      where: (i) => `${sources[i]} of the file`,
      prepare: () => create.forEach((w) => addWorkspace(s, w)),
      pendingWorkspaces: new Set(create.map(normalizeName)),
      changesRoster: create.length > 0,
      renameRepeats: true,
      audit: (applied) => ({ action: 'import.foreign', target: `${format} ${basename(path)}: ${appliedText(applied)}` }),
    },
    opts,
  );
  return { source: { format, file: path, items: records.length, workspacesCreated: create }, ...outcome, skipped };
}
