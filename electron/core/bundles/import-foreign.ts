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
import type { ForeignFormat, SkippedEntry } from './importers/foreign';
import type { MappedEntry, MappedSink } from './importers/mapped';
import { FileNames } from './importers/mapping';
import { readMappedAhead } from './importers/reading-ahead';

export interface ForeignImportOptions extends Pick<ImportOptions, 'strategy' | 'perItem' | 'dryRun' | 'workspace'> {
  /** Detected from the file's first KiB when left out. */
  format?: ForeignFormat;
  /** `.env`: one secret per line. */
  split?: boolean;
}

/**
 * The workspaces a file's top groups name: existing ones by their own spelling, the others created
 * as the file first names them (inside the import's transaction), or in a dry run only counted.
 * A role that may not create them gets none: the import is refused once the file has named them all.
 */
class Workspaces {
  private readonly known = new Map<string, string | undefined>();
  /** Created, or in a dry run to be created, in the file's order. */
  readonly created: string[] = [];
  /** Normalized names of what a dry run would create: planned into as empty workspaces. */
  readonly pending = new Set<string>();
  readonly refused: string[] = [];

  constructor(
    private readonly s: Session,
    private readonly dryRun: boolean,
  ) {}

  /** The vault's spelling of the workspace, or nothing when it is missing and cannot be created. */
  resolve(name: string): string | undefined {
    const key = normalizeName(name);
    if (this.known.has(key)) return this.known.get(key);
    let found = this.s.roster.placeByName('workspace', name)?.name;
    if (found === undefined && !this.s.may('workspace.create')) this.refused.push(name);
    else if (found === undefined) {
      if (this.dryRun) this.pending.add(key);
      else addWorkspace(this.s, name);
      this.created.push(name);
      found = name;
    }
    this.known.set(key, found);
    return found;
  }
}

/**
 * Reads a foreign file by the mapping rules (importers/mapping.ts) and imports its secrets as a
 * bundle's are: compared, planned and applied in one transaction with one audit entry. The file is
 * read and mapped while that transaction runs (a large one on a second thread, a batch at a time),
 * so neither the file nor its mapped secrets are ever in memory at once; a file that turns out
 * unreadable halfway rolls it all back.
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
  const given = opts.workspace === undefined ? undefined : findNamed(s, 'workspace', opts.workspace).name;
  const workspaces = new Workspaces(s, opts.dryRun ?? false);
  const names = new FileNames();
  const sources: string[] = [];
  const skipped: SkippedEntry[] = [];
  const read = (each: (rec: SourceRecord, i: number) => void) => {
    const sink: MappedSink = {
      entry(m: MappedEntry) {
        skipped.push(...m.skipped);
        if (!m.secret) return;
        let input = m.secret;
        if (input.level === 'workspace' && given === undefined) {
          const workspace = workspaces.resolve(input.workspace);
          if (workspace === undefined) return;
          input = { ...input, workspace };
        }
        const name = names.claim(input, input.name);
        sources.push(m.source);
        // Validated as it was read (importers/mapping.ts): the plan checks again only the name and place changed here.
        const rec = { input: { ...input, name } as RegisterSecretInput, created: m.created ?? 0, updated: m.updated ?? 0, validated: true };
        each(name === input.name ? rec : { ...rec, renamedFrom: input.name }, sources.length - 1);
      },
      progress: onProgress,
    };
    readMappedAhead(format, path, { split: opts.split, given }, sink);
    if (workspaces.refused.length) {
      throw new CofferError(
        'VALIDATION',
        `the file's top groups would become new workspaces (${workspaces.refused.join(', ')}), which your role cannot create: pass --workspace NAME to import everything into one`,
        'workspace',
      );
    }
  };
  const outcome = importRecords(
    s,
    {
      read,
      where: (i) => `${sources[i]} of the file`,
      pendingWorkspaces: workspaces.pending,
      changesRoster: given === undefined,
      renameRepeats: true,
      audit: (applied) => ({ action: 'import.foreign', target: `${format} ${basename(path)}: ${appliedText(applied)}` }),
    },
    opts,
  );
  return { source: { format, file: path, items: sources.length, workspacesCreated: workspaces.created }, ...outcome, skipped };
}
