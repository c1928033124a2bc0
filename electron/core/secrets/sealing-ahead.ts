import { join } from 'node:path';
import type { ErrorShape } from '../../../shared/errors';
import { CofferError, toErrorShape } from '../../../shared/errors';
import type { Alloc } from '../crypto/aead';
import { KEY_BYTES, seal, sealText } from '../crypto/aead';
import { blindHash, wipe } from '../crypto/keys';
import type { RandomSource } from '../crypto/random';
import type { OutcomeCodec } from '../threads/work-ahead';
import { WorkAhead } from '../threads/work-ahead';
import type { Session } from '../vault/session';
import type { Payload } from './content';
import type { HeadState } from './head';
import { headKey, headWithKey } from './head';
import { dataKeyContext, revisionContext } from './sealing';

/**
 * The sealing of a bulk registration, on a second thread ahead of the inserts (docs/architecture.md,
 * "Work on a second thread"): a fresh data key per secret, wrapped for each reader scope; revision 1
 * sealed under it; the name's blind hash; the head. ~20 µs a secret, two seconds of an import of
 * 100,000 that the other core takes while this one inserts. The thread is given the keys of the
 * scopes it seals for, and wipes them when the import ends (SECURITY.md, "Keys on a second thread").
 */

/** The keys sealing needs: on the caller's thread the session's, on the sealing thread the copies it was sent. */
export interface SealingKeys {
  readonly vaultId: string;
  scopeKey(scopeId: string, version: number): Uint8Array;
  blindKey(scopeId: string): Uint8Array;
}

/** One registration to seal: its row with its listing number (name hash and head are sealing's), its name, revision 1, its readers. */
export interface SealJob {
  row: Omit<HeadState, 'name_hash'>;
  name: string;
  payload: Payload;
  readers: { scopeId: string; version: number }[];
}

export interface Sealed {
  nameHash: Uint8Array;
  /** Revision 1, sealed under the data key. */
  content: Uint8Array;
  /** The data key wrapped for each reader, in the job's order. */
  wrapped: Uint8Array[];
  head: Uint8Array;
}

/** An outcome crosses threads: an error as its shape. */
export type SealOutcome = Sealed | { error: ErrorShape };

/** The keys a sealing thread is sent, each scope's once: `scope/version` → key, scope → blind-index key. */
export interface SealingContext {
  vaultId: string;
  scopeKeys: [string, Uint8Array][];
  blindKeys: [string, Uint8Array][];
}

export const scopeKeyId = (scopeId: string, version: number) => `${scopeId}/${version}`;

/** Seals one registration; the data key and head key live only inside this call. */
export function sealJob(keys: SealingKeys, random: RandomSource, job: SealJob, alloc?: Alloc): SealOutcome {
  try {
    const row = { ...job.row, name_hash: blindHash(keys.blindKey(job.row.scope_id), job.name) };
    const dataKey = random.bytes(KEY_BYTES);
    const key = headKey(dataKey);
    try {
      return {
        nameHash: row.name_hash,
        content: sealText(dataKey, JSON.stringify(job.payload), revisionContext(keys, row, 1), random, alloc),
        wrapped: job.readers.map((r) => seal(keys.scopeKey(r.scopeId, r.version), dataKey, dataKeyContext(keys, row.id, r.scopeId, r.version), random, alloc)),
        head: headWithKey(keys.vaultId, key, row),
      };
    } finally {
      wipe(dataKey, key);
    }
  } catch (e) {
    return { error: toErrorShape(e) };
  }
}

/** A session's keys as sealing asks for them. */
function sessionKeys(s: Session): SealingKeys {
  return {
    vaultId: s.vaultId,
    scopeKey: (scopeId, version) => {
      const scope = s.scopeKey(scopeId);
      if (scope.version !== version) throw new CofferError('CONFLICT', 'a scope key changed during the registration');
      return scope.key;
    },
    blindKey: (scopeId) => s.blindKey(scopeId),
  };
}

const HASH_BYTES = 32;
const OK = 0;
const FAILED = 1;

/**
 * Sealed values cross back in one transferred buffer per group: `ticket`, then either the name hash,
 * the head and each sealed value with its length, or an error as JSON. A structured clone of
 * four small arrays per secret cost the inserting thread more than sealing them itself (measured:
 * ~0.75 s of receiving per 100,000).
 */
export const sealedCodec: OutcomeCodec<SealOutcome> = {
  pack(done) {
    const encoder = new TextEncoder();
    const errors = done.map(([, o]) => ('error' in o ? encoder.encode(JSON.stringify(o.error)) : undefined));
    let size = 0;
    done.forEach(([, o], i) => {
      size += 5 + ('error' in o ? 4 + errors[i]!.length : 2 * HASH_BYTES + 4 + o.content.length + 1 + o.wrapped.reduce((n, w) => n + 4 + w.length, 0));
    });
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    let at = 0;
    const put = (b: Uint8Array, withLength: boolean) => {
      if (withLength) {
        view.setUint32(at, b.length);
        at += 4;
      }
      bytes.set(b, at);
      at += b.length;
    };
    done.forEach(([ticket, o], i) => {
      view.setUint32(at, ticket);
      view.setUint8(at + 4, 'error' in o ? FAILED : OK);
      at += 5;
      if ('error' in o) return put(errors[i]!, true);
      put(o.nameHash, false);
      put(o.head, false);
      put(o.content, true);
      view.setUint8(at++, o.wrapped.length);
      for (const w of o.wrapped) put(w, true);
    });
    return { message: bytes.buffer, transfer: [bytes.buffer] };
  },
  unpack(message) {
    const bytes = new Uint8Array(message as ArrayBuffer);
    const view = new DataView(bytes.buffer);
    const done: [number, SealOutcome][] = [];
    let at = 0;
    const take = (length = view.getUint32((at += 4) - 4)) => bytes.subarray(at, (at += length));
    while (at < bytes.length) {
      const ticket = view.getUint32(at);
      const kind = view.getUint8(at + 4);
      at += 5;
      if (kind === FAILED) {
        done.push([ticket, { error: JSON.parse(new TextDecoder().decode(take())) as ErrorShape }]);
        continue;
      }
      const nameHash = take(HASH_BYTES);
      const head = take(HASH_BYTES);
      const content = take();
      const wrapped = Array.from({ length: view.getUint8(at++) }, () => take());
      done.push([ticket, { nameHash, head, content, wrapped }]);
    }
    return done;
  },
};

/** One registration sealed on the caller's thread, with the session's keys (a single registration). */
export function sealHere(s: Session, job: SealJob): Sealed {
  return sealedOrThrow(sealJob(sessionKeys(s), s.ctx.random, job));
}

function sealedOrThrow(outcome: SealOutcome): Sealed {
  if ('error' in outcome) throw new CofferError(outcome.error.code, outcome.error.message, outcome.error.field);
  return outcome;
}

/** Below this many secrets, starting the thread (~0.15 s of loading the core and libsodium on the other core) costs more than it saves. */
const THREAD_FROM = 1024;

/** The compiled worker; absent when the core runs from TypeScript sources (tests), which seal inline. */
const WORKER = join(__dirname, 'sealing-worker.js');

export class SealingAhead {
  private readonly work: WorkAhead<SealJob, SealOutcome>;
  /** Scopes whose blind-index key, and `scope/version`s whose key, the thread was sent. */
  private readonly blindSent = new Set<string>();
  private readonly keySent = new Set<string>();

  constructor(
    private readonly s: Session,
    alloc?: Alloc,
    threadFrom = THREAD_FROM,
  ) {
    const keys = sessionKeys(s);
    this.work = new WorkAhead({
      worker: WORKER,
      startFrom: threadFrom,
      sendEvery: 64,
      stallMs: 30_000,
      run: (job) => sealJob(keys, s.ctx.random, job, alloc),
      context: (jobs) => this.keysFor(jobs),
      outcomes: sealedCodec,
    });
  }

  /** Queues a registration; returns its ticket for `take`. */
  add(job: SealJob): number {
    return this.work.add(job);
  }

  /** The sealed values of `ticket`, sealed by the thread or here. */
  take(ticket: number): Sealed {
    return sealedOrThrow(this.work.take(ticket));
  }

  /** How many the thread has sealed so far. */
  get sealedByThread(): number {
    return this.work.doneByThread;
  }

  /** Ends the thread, which wipes the keys it was sent. */
  close(): void {
    this.work.close();
  }

  /** The keys `jobs` need that the thread was not sent yet. */
  private keysFor(jobs: readonly SealJob[]): SealingContext | undefined {
    const context: SealingContext = { vaultId: this.s.vaultId, scopeKeys: [], blindKeys: [] };
    for (const { row, readers } of jobs) {
      if (!this.blindSent.has(row.scope_id)) {
        this.blindSent.add(row.scope_id);
        context.blindKeys.push([row.scope_id, this.s.blindKey(row.scope_id)]);
      }
      for (const r of readers) {
        const id = scopeKeyId(r.scopeId, r.version);
        if (this.keySent.has(id)) continue;
        this.keySent.add(id);
        context.scopeKeys.push([id, this.s.scopeKey(r.scopeId).key]);
      }
    }
    return context.scopeKeys.length || context.blindKeys.length ? context : undefined;
  }
}
