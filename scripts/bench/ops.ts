import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { exportBundle } from '../../electron/core/bundles/export';
import { fingerprint } from '../../electron/core/bundles/format';
import { importBundle } from '../../electron/core/bundles/import';
import { calibrate, deriveKey } from '../../electron/core/crypto/kdf';
import { wipe } from '../../electron/core/crypto/keys';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium } from '../../electron/core/crypto/sodium';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { sessionPass } from '../../electron/core/lifecycle/passes';
import { reviewSummary } from '../../electron/core/review/summary';
import type { PassResult } from '../../electron/core/lifecycle/scheduler';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { createAccount } from '../../electron/core/vault/accounts';
import { createCredential } from '../../electron/core/vault/credentials';
import { addMember, removeMember } from '../../electron/core/vault/members';
import type { Session } from '../../electron/core/vault/session';
import { addTeamMember } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { ListSecretsInput, RegisterSecretInput, SecretStatus } from '../../shared/schemas/secrets';
import type { BenchCertificate, BenchItem } from './generator';
import { MEMBER, PASSWORD, TEAMS, createStructuredVault, itemAt, items, settableClock } from './generator';
import { foreignItem, groupOf, writeBitwardenJson, writeDotenv, writeKeepassXml, writeKeepassxcCsv, writeOnepasswordCsv } from './foreign-exports';
import type { Plan } from './measure';
import { childEnv, median, now, repeat, round, timed, timedSync } from './measure';
import { BASE62, Draw } from './prng';
import type { LoadResult } from './http-load';
import { loadHttp } from './http-load';

/** Every op the report knows, in report order (the JSON's `op` values). */
export const OP_NAMES = [
  'file-size',
  'kdf-standard',
  'kdf-fast',
  'unlock-minus-kdf',
  'first-page-name',
  'first-page-expiry',
  'filter-status',
  'search',
  'get',
  'create',
  'edit',
  'bulk-import',
  'scheduler-pass',
  'dashboard',
  'audit-verify',
  'bundle-export',
  'bundle-import',
  'member-remove',
  'cli-get',
  'cli-search',
  'report-html',
  'credential-get',
  'import-keepass-xml',
  'import-keepassxc-csv',
  'import-bitwarden-json',
  'import-1password-csv',
  'import-dotenv',
  'rest-load',
  'vs-keepassxc',
  'app-start',
  'ui-unlock-to-table',
  'ui-scroll-frame',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** What an op is given: one size's vault, built before, and a scratch folder of its own. */
export interface OpContext {
  size: number;
  /** The --runs value; each op derives its plan from it. */
  runs: number;
  seed: number;
  cert: BenchCertificate;
  /** The size's vault (fast KDF, password PASSWORD). */
  fixturePath: string;
  workDir: string;
  /** The repository root: bin/coffer.js and dist/ live there. */
  root: string;
}

export interface OpOutcome {
  /** Milliseconds per sample. */
  samples: number[];
  perSecond?: number;
  /** The op's figure where it is not a time: the vault file's bytes per secret, a ratio to another program. */
  value?: { amount: number; unit: string };
  /** Set by ops whose memory is another process's (the CLI runs); otherwise the measuring process's peak. */
  peakRssMb?: number;
  note?: string;
}

/**
 * One op: `core` runs in a fresh child per op (its peak RSS is that op's), `cli` spawns whole
 * CLI processes, `ui` drives Chromium against browser mode (see ui.ts). An op the product does not
 * have yet carries `unavailable` instead of `measure`: adding it is writing that one function.
 */
export type OpDef =
  | {
      op: OpName;
      kind: 'core' | 'cli';
      measure: (ctx: OpContext) => Promise<OpOutcome>;
      /** Why it cannot run on this machine (a program missing), checked before each size. */
      unavailableHere?: () => string | undefined;
      /** Minutes per run above 100,000 and no target there: run at such sizes only when named in --ops. */
      heavy?: true;
    }
  | { op: OpName; kind: 'core' | 'cli' | 'ui'; unavailable: string }
  | { op: OpName; kind: 'ui' };

const PAGE = 100;

/** Quick ops take more samples: their p95 needs them, and they cost little. */
const quickPlan = (ctx: OpContext): Plan => ({ warmup: 5, runs: Math.max(20, ctx.runs * 4) });
/** Ops that take seconds at 100,000 take at most 3 runs there. */
const heavyPlan = (ctx: OpContext): Plan => ({ warmup: ctx.size >= 50_000 ? 0 : 1, runs: ctx.size >= 50_000 ? Math.min(ctx.runs, 3) : ctx.runs, gc: true });

interface Unlocked {
  vault: Vault;
  session: Session;
  close(): void;
}

/** The size's vault, unlocked, with the listing index built: the state the app is in after unlock. */
async function openFixture(ctx: OpContext, withIndex = true): Promise<Unlocked> {
  await initSodium();
  const vault = await Vault.open(ctx.fixturePath);
  const session = await vault.unlock(undefined, PASSWORD);
  if (withIndex) SecretIndex.of(session);
  return {
    vault,
    session,
    close: () => {
      session.lock();
      vault.close();
    },
  };
}

const genOpts = (ctx: OpContext) => ({ seed: ctx.seed, cert: ctx.cert });

/** Random items of the vault (those `filter` keeps), drawn with a seed of their own. */
function existing(ctx: OpContext, salt: number, count: number, filter: (it: BenchItem) => boolean = () => true): BenchItem[] {
  const d = Draw.seeded(ctx.seed ^ salt);
  const out: BenchItem[] = [];
  for (let guard = 0; out.length < count && guard < count * 50; guard++) {
    const it = itemAt(d.int(0, ctx.size - 1), genOpts(ctx));
    if (filter(it)) out.push(it);
  }
  return out;
}

const list = (s: Session, input: ListSecretsInput) => listSecrets(s, { limit: PAGE, ...input });

function expectPage(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: expected ${want} rows, got ${got}`);
}

// ---- File ----------------------------------------------------------------------------------------

/**
 * The vault file's size per secret, as built (the first op, before any other writes to it): opened,
 * checkpointed so the -wal is folded in, closed. Everything in the file counts (revisions, heads,
 * the audit log of N entries, notices), divided by the secrets. The time is that of open, checkpoint
 * and close.
 */
async function fileSize(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  let secrets = 0;
  const ms = await timed(async () => {
    const vault = await Vault.open(ctx.fixturePath);
    try {
      vault.db.checkpoint();
      secrets = vault.db.count('SELECT count(*) FROM secrets');
    } finally {
      vault.close();
    }
  });
  const wal = `${ctx.fixturePath}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new Error(`the -wal still holds ${statSync(wal).size} bytes after a checkpoint`);
  const bytes = statSync(ctx.fixturePath).size;
  return {
    samples: [ms],
    value: { amount: bytes / secrets, unit: 'B/secret' },
    note: `${round(bytes / 1048576, 1)} MB after a checkpoint (no -wal) for ${secrets} secrets, their revisions, heads, ${ctx.size} audit entries and the notices; timed: open, checkpoint, close`,
  };
}

// ---- KDF -------------------------------------------------------------------------------------

async function kdfStandard(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const t0 = now();
  const params = calibrate('standard', systemRandom);
  const calibrateMs = now() - t0;
  const samples = await repeat({ warmup: 1, runs: Math.min(ctx.runs, 3) }, () => timedSync(() => wipe(deriveKey(PASSWORD, params))));
  return {
    samples,
    note: `calibrated here: opslimit ${params.opslimit}, memlimit ${params.memlimit / 1048576} MiB (calibrate() itself ${Math.round(calibrateMs)} ms)`,
  };
}

async function kdfFast(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const params = calibrate('fast', systemRandom);
  const samples = await repeat({ warmup: 2, runs: Math.max(10, ctx.runs * 2) }, () => timedSync(() => wipe(deriveKey(PASSWORD, params))));
  return { samples, note: `opslimit ${params.opslimit}, memlimit ${params.memlimit / 1048576} MiB` };
}

// ---- Unlock ----------------------------------------------------------------------------------

/** Open the file, unlock, build the listing index; the time inside Argon2id is taken out. */
async function unlockMinusKdf(ctx: OpContext): Promise<OpOutcome> {
  const sodium = await initSodium();
  const original = sodium.crypto_pwhash;
  let kdfMs = 0;
  const wrapped = ((...args: Parameters<typeof original>) => {
    const t0 = now();
    try {
      return original.apply(sodium, args);
    } finally {
      kdfMs += now() - t0;
    }
  }) as typeof original;
  const parts = { open: [] as number[], unlock: [] as number[], index: [] as number[], kdf: [] as number[] };
  (sodium as { crypto_pwhash: typeof original }).crypto_pwhash = wrapped;
  try {
    const samples = await repeat({ warmup: 1, runs: ctx.runs, gc: true }, async (run) => {
      kdfMs = 0;
      const t0 = now();
      const vault = await Vault.open(ctx.fixturePath);
      const t1 = now();
      const session = await vault.unlock(undefined, PASSWORD);
      const t2 = now();
      const index = SecretIndex.of(session);
      const t3 = now();
      if (index.size !== ctx.size) throw new Error(`index holds ${index.size} secrets, expected ${ctx.size}`);
      if (kdfMs <= 0) throw new Error('the KDF was not seen: crypto_pwhash is no longer called through the sodium module');
      if (run >= 0) {
        parts.open.push(t1 - t0);
        parts.unlock.push(t2 - t1 - kdfMs);
        parts.index.push(t3 - t2);
        parts.kdf.push(kdfMs);
      }
      session.lock();
      vault.close();
      return t3 - t0 - kdfMs;
    });
    const m = (xs: number[]) => round(median(xs), 1);
    return {
      samples,
      note: `open ${m(parts.open)} + unlock ${m(parts.unlock)} + index build ${m(parts.index)} ms (KDF ${m(parts.kdf)} ms taken out)`,
    };
  } finally {
    (sodium as { crypto_pwhash: typeof original }).crypto_pwhash = original;
  }
}

// ---- Listing ---------------------------------------------------------------------------------

/**
 * The first page as the table asks for it right after unlock: the index holds no order for this
 * key yet. Writes patch cached orders in place, so this is the only uncached case. The
 * cached-order figure is in the note.
 */
function firstPage(sort: 'name' | 'expires') {
  return async (ctx: OpContext): Promise<OpOutcome> => {
    const u = await openFixture(ctx);
    try {
      const want = Math.min(PAGE, ctx.size);
      const samples = await repeat({ warmup: 2, runs: Math.max(10, ctx.runs * 2), gc: true }, () => {
        // A fresh index, as right after unlock: no order is cached yet.
        u.session.index = SecretIndex.build(u.session);
        let rows = 0;
        const ms = timedSync(() => (rows = list(u.session, { sort }).items.length));
        expectPage(rows, want, `first page by ${sort}`);
        return ms;
      });
      SecretIndex.of(u.session).prepare(sort); // what the app does once the first page is shown
      const cached = await repeat({ warmup: 2, runs: 20 }, () => timedSync(() => list(u.session, { sort })));
      return { samples, note: `first listing after unlock (no order cached over ${ctx.size} entries); order already cached: ${round(median(cached), 2)} ms` };
    } finally {
      u.close();
    }
  };
}

async function filterStatus(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    list(u.session, { sort: 'name' });
    const statuses: SecretStatus[] = ['inactive', 'scheduled', 'active'];
    const matched: Record<string, number> = {};
    const samples = await repeat(quickPlan(ctx), (run) => {
      const status = statuses[Math.abs(run) % statuses.length]!;
      return timedSync(() => (matched[status] = list(u.session, { sort: 'name', status }).matched));
    });
    return { samples, note: `first page by name, cycling statuses (matched: ${statuses.map((s) => `${s} ${matched[s]}`).join(', ')})` };
  } finally {
    u.close();
  }
}

/** A few hundred queries as people type them: pieces of real names, common words, misses. */
export function searchQueries(ctx: OpContext, count: number): string[] {
  const d = Draw.seeded(ctx.seed ^ 0x5ea7c4);
  const words = ['prod', 'staging', 'stripe', 'github', 'payments', 'api', 'token', 'eu-west', 'client', 'cert', 'env', 'worker', 'datadog', 'us-east-1'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = d.rng();
    if (r < 0.7) {
      const name = itemAt(d.int(0, ctx.size - 1), genOpts(ctx)).name;
      const len = d.int(3, Math.min(12, name.length));
      const at = d.int(0, name.length - len);
      out.push(name.slice(at, at + len));
    } else if (r < 0.9) out.push(d.pick(words));
    else out.push(`zq${d.chars(BASE62, 5)}`);
  }
  return out;
}

async function search(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    list(u.session, { sort: 'name' });
    const warm = searchQueries({ ...ctx, seed: ctx.seed + 1 }, 30);
    const queries = searchQueries(ctx, 300);
    let matched = 0;
    const samples = await repeat({ warmup: warm.length, runs: queries.length }, (run) => {
      const q = run < 0 ? warm[-1 - run]! : queries[run]!;
      return timedSync(() => (matched += list(u.session, { sort: 'name', search: q }).matched));
    });
    return { samples, note: `${queries.length} queries, one sample each; mean ${Math.round(matched / (queries.length + warm.length))} matches per query` };
  } finally {
    u.close();
  }
}

// ---- Values and writes -----------------------------------------------------------------------

async function get(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    const plan = quickPlan(ctx);
    const picks = existing(ctx, 0x6e7, plan.warmup + plan.runs);
    const samples = await repeat(plan, (run) => {
      const it = picks[run + plan.warmup]!;
      let value = '';
      const ms = timedSync(() => (value = getSecretValue(u.session, { name: it.name }, { use: { door: 'cli', how: 'print' } }).value));
      if (!value) throw new Error(`get ${it.name}: empty value`);
      return ms;
    });
    return { samples, note: 'by name through the blind index; records the use (one write transaction)' };
  } finally {
    u.close();
  }
}

async function create(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    const plan = quickPlan(ctx);
    // Items past the vault's end: new names, the same mix of types and places.
    const fresh = items(ctx.size + 1_000_000, ctx.size + 1_000_000 + plan.warmup + plan.runs, genOpts(ctx));
    const samples = await repeat(plan, (run) => {
      const it = fresh[run + plan.warmup]!;
      return timedSync(() => registerSecret(u.session, it.input));
    });
    return { samples, note: 'registerSecret, all five types, the index kept in step' };
  } finally {
    u.close();
  }
}

function patchFor(it: BenchItem, d: Draw): Record<string, unknown> {
  const v = d.chars(BASE62, 40);
  switch (it.type) {
    case 'api-key':
      return { value: v };
    case 'bearer-token':
      return { headerValue: `Bearer ${v}` };
    case 'client-credentials':
      return { clientSecret: v };
    case 'key-value':
      return { setPairs: [{ key: 'ROTATED_AT', value: v }] };
    case 'certificate':
      throw new Error('certificates are not edited by the bench');
  }
}

async function edit(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    const plan = quickPlan(ctx);
    const picks = existing(ctx, 0xed17, plan.warmup + plan.runs, (it) => it.type !== 'certificate');
    const d = Draw.seeded(ctx.seed ^ 0xed18);
    const samples = await repeat(plan, (run) => {
      const it = picks[run + plan.warmup]!;
      const fields = patchFor(it, d);
      return timedSync(() => editSecret(u.session, { ref: { name: it.name }, fields }));
    });
    return { samples, note: 'a new revision of one value (by name)' };
  } finally {
    u.close();
  }
}

/**
 * Above this many, bulk-import registers in calls of this many secrets (each its own transaction),
 * generating each call's inputs untimed just before it: a million generated inputs held at once
 * would be gigabytes of the bench's own memory, not the product's.
 */
const BULK_CHUNK = 100_000;

async function bulkImport(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  // As a caller has them, parsed from a file or received over IPC: flat strings. The generator's
  // concatenated ones cost every registration a flattening and the young generation 3 s at 100,000
  // (docs/benchmark.md, "Storage: rows by number").
  const inputsOf = (from: number, to: number) => JSON.parse(JSON.stringify(items(from, to, genOpts(ctx)).map((it) => it.input))) as RegisterSecretInput[];
  const chunked = ctx.size > BULK_CHUNK;
  const whole = chunked ? [] : inputsOf(0, ctx.size);
  function* batches(count: number) {
    if (!chunked) yield count === whole.length ? whole : whole.slice(0, count);
    else for (let from = 0; from < count; from += BULK_CHUNK) yield inputsOf(from, Math.min(count, from + BULK_CHUNK));
  }
  const plan = heavyPlan(ctx);
  let n = 0;
  const importInto = async (count: number) => {
    const path = join(ctx.workDir, `bulk-${n++}.coffer`);
    const { vault, session } = await createStructuredVault(path);
    try {
      let ms = 0;
      for (const batch of batches(count)) {
        ms += await timed(async () => {
          if ((await registerSecrets(session, batch)) !== batch.length) throw new Error('bulk import registered fewer secrets');
        });
      }
      return ms;
    } finally {
      session.lock();
      vault.close();
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    }
  };
  // Big sizes warm up on a small import instead of a whole one.
  if (plan.warmup === 0) await importInto(1000);
  const samples = await repeat(plan, () => importInto(ctx.size));
  const how = chunked ? `in calls of ${BULK_CHUNK} (one transaction each, inputs generated untimed between them)` : 'one transaction';
  return { samples, perSecond: ctx.size / (median(samples) / 1000), note: `registerSecrets of ${ctx.size} into an empty vault, ${how}, 256 at a time (certificates read ahead on a second thread)` };
}

// ---- Lifecycle and audit ---------------------------------------------------------------------

/**
 * The scheduler pass of a day, as an unlocked app runs it (the only pass that purges): on a copy of
 * the vault, the clock moves one day per run, so each pass finds that day's inactivations, notices
 * and purges. A pass with nothing due is in the note.
 */
async function schedulerPass(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const path = join(ctx.workDir, 'scheduler.coffer');
  copyFileSync(ctx.fixturePath, path);
  const start = Date.now();
  const clock = settableClock(start);
  const vault = await Vault.open(path, { context: { clock } });
  const session = await vault.unlock(undefined, PASSWORD);
  const work = { inactivated: [] as number[], notices: [] as number[], purged: [] as number[] };
  const idle: number[] = [];
  try {
    const samples = await repeat({ warmup: 1, runs: ctx.runs, gc: true }, (run) => {
      clock.set(start + Math.max(0, run + 1) * DAY_MS);
      let r: PassResult = { inactivated: 0, notices: 0, purged: 0 };
      const ms = timedSync(() => (r = sessionPass(session)));
      if (run >= 0) {
        work.inactivated.push(r.inactivated);
        work.notices.push(r.notices);
        work.purged.push(r.purged);
        idle.push(timedSync(() => sessionPass(session)));
      }
      return ms;
    });
    const m = (xs: number[]) => Math.round(median(xs));
    return {
      samples,
      note:
        `sessionPass, one simulated day apart (median per pass: ${m(work.inactivated)} made Inactive, ${m(work.notices)} notices, ` +
        `${m(work.purged)} purged); a pass with nothing due: ${round(median(idle), 2)} ms`,
    };
  } finally {
    session.lock();
    vault.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
}

async function auditVerify(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx, false);
  try {
    let entries = 0;
    const samples = await repeat({ warmup: 1, runs: ctx.runs, gc: true }, () =>
      timedSync(() => {
        const v = verifyAuditFor(u.session);
        if (!v.ok) throw new Error(`the audit chain is broken: ${v.reason}`);
        entries = v.entries;
      }),
    );
    return { samples, perSecond: entries / (median(samples) / 1000), note: `verifyAuditFor: the hash chain of ${entries} entries from the first` };
  } finally {
    u.close();
  }
}

// ---- Bundles ---------------------------------------------------------------------------------

/**
 * The two vaults a bundle travels between. The source is a copy of the size's vault: an export
 * records a use of every secret, and the fixture must stay as other ops found it. The target is an
 * empty vault with the bench's workspaces and teams, kept as a template: every copy of it holds the
 * same member keys, so a bundle sealed to that member opens in each fresh copy an import run uses.
 */
async function bundleVaults(ctx: OpContext) {
  await initSodium();
  const template = join(ctx.workDir, 'bundle-target.coffer');
  const t = await createStructuredVault(template);
  const recipient = { kind: 'key' as const, name: MEMBER, boxPublic: Uint8Array.from(t.session.keyPairs().boxPublic) };
  t.session.lock();
  t.vault.close();
  let n = 0;
  const remove = (path: string) => {
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  };
  /** Opens and unlocks a fresh copy of `path`; `done` locks, closes and deletes it. */
  const openCopy = async (path: string) => {
    const copy = join(ctx.workDir, `bundle-${n++}.coffer`);
    copyFileSync(path, copy);
    const vault = await Vault.open(copy);
    const session = await vault.unlock(undefined, PASSWORD);
    return {
      session,
      done: () => {
        session.lock();
        vault.close();
        remove(copy);
      },
    };
  };
  return { template, recipient, openCopy };
}

async function bundleExport(ctx: OpContext): Promise<OpOutcome> {
  const b = await bundleVaults(ctx);
  const out = join(ctx.workDir, 'export.cofferbundle');
  let bytes = 0;
  let items = 0;
  const samples = await repeat(heavyPlan(ctx), async () => {
    const source = await b.openCopy(ctx.fixturePath);
    // Ops run before this one (create) may have added a few secrets to the size's vault.
    const total = source.session.vault.info().secrets.total;
    try {
      return timedSync(() => {
        const r = exportBundle(source.session, { door: 'cli', out, selection: { kind: 'all' }, recipients: [b.recipient] });
        if (r.items !== total) throw new Error(`the bundle holds ${r.items} secrets, expected ${total}`);
        bytes = r.bytes;
        items = r.items;
      });
    } finally {
      source.done();
      rmSync(out, { force: true });
    }
  });
  return {
    samples,
    perSecond: items / (median(samples) / 1000),
    note:
      `exportBundle of all ${items} secrets (a copy of the vault) to one member recipient: the X25519 key of the member of a second, ` +
      `empty vault; ${round(bytes / 1048576, 1)} MB bundle; includes recording one use per secret (consumer bundle-export) in the same transaction`,
  };
}

async function bundleImport(ctx: OpContext): Promise<OpOutcome> {
  const b = await bundleVaults(ctx);
  const bundle = join(ctx.workDir, 'import.cofferbundle');
  const source = await b.openCopy(ctx.fixturePath);
  let signer = '';
  let total = 0;
  try {
    total = exportBundle(source.session, { door: 'cli', out: bundle, selection: { kind: 'all' }, recipients: [b.recipient] }).items;
    signer = fingerprint(source.session.keyPairs().signPublic);
  } finally {
    source.done();
  }
  const samples = await repeat(heavyPlan(ctx), async () => {
    const target = await b.openCopy(b.template);
    try {
      return await timed(async () => {
        const r = await importBundle(target.session, bundle, { trustedSigners: [signer] });
        if (r.applied.added !== total) throw new Error(`the import added ${r.applied.added} secrets, expected ${total}`);
      });
    } finally {
      target.done();
    }
  });
  rmSync(bundle, { force: true });
  return {
    samples,
    perSecond: total / (median(samples) / 1000),
    note:
      `importBundle of the export of all ${total} secrets into a fresh empty vault as the member it is sealed to (the signer, from the other vault, ` +
      'trusted by fingerprint): verify the signature, then in one write transaction decrypt, compare and register the new secrets 256 at a time (certificates read ahead on a second thread)',
  };
}

// ---- Members ---------------------------------------------------------------------------------

/** Whom member-remove adds to a copy of the vault and then removes. */
const LEAVER = 'leaver';

/** What removing LEAVER re-keys: the secrets readable through a shared scope, with their revisions and uses. */
function sharedWork(session: Session): { secrets: number; revisions: number; uses: number } {
  const shared = `SELECT DISTINCT r.secret_id FROM secret_readers r JOIN scopes s ON s.id = r.scope_id WHERE s.kind <> 'personal'`;
  const db = session.db;
  return {
    secrets: db.count(`SELECT count(*) FROM (${shared})`),
    revisions: db.count(`SELECT count(*) FROM revisions WHERE secret_id IN (${shared})`),
    uses: db.count(`SELECT count(*) FROM usage WHERE secret_id IN (${shared})`),
  };
}

/**
 * Removing a member who could open every shared scope: an Account Manager (every team key) in two
 * teams, added to a fresh copy of the vault before each run. Timed: removeMember alone, the
 * organization, every workspace and every team rotated and each secret readable through them given
 * a new data key, its revisions and uses re-encrypted, in one transaction, then the WAL truncated.
 */
async function memberRemove(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const path = join(ctx.workDir, 'member-remove.coffer');
  let work = { secrets: 0, revisions: 0, uses: 0 };
  const samples = await repeat(heavyPlan(ctx), async () => {
    copyFileSync(ctx.fixturePath, path);
    const vault = await Vault.open(path);
    try {
      const session = await vault.unlock(undefined, PASSWORD);
      addMember(session, { name: LEAVER, role: 'account-manager', password: PASSWORD });
      for (const team of TEAMS.slice(0, 2)) addTeamMember(session, team, LEAVER);
      work = sharedWork(session);
      const ms = timedSync(() => removeMember(session, LEAVER));
      session.lock();
      return ms;
    } finally {
      vault.close();
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    }
  });
  return {
    samples,
    perSecond: work.secrets / (median(samples) / 1000),
    note:
      `removeMember of an Account Manager in 2 of ${TEAMS.length} teams, on a copy of the vault: every shared scope rotated, ` +
      `${work.secrets} secrets given new data keys (${work.revisions} revisions and ${work.uses} uses re-encrypted), one transaction, then the WAL truncated`,
  };
}

// ---- CLI -------------------------------------------------------------------------------------

/** Preloaded into each CLI process: writes its peak RSS (KB) where BENCH_RSS_FILE says, on exit. */
const RSS_PROBE = `process.on('exit', () => { try { require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`;

interface CliRun {
  ms: number;
  rssMb: number;
  stdout: string;
}

/** A pipeline's identity: the CLI then runs on `vault` with the two variables instead of a password. */
interface PipelineCredential {
  vault: string;
  clientId: string;
  clientSecret: string;
}

async function cli(ctx: OpContext, args: string[], stdin: string, credential?: PipelineCredential): Promise<CliRun> {
  const probe = join(ctx.workDir, 'rss-probe.cjs');
  const rssFile = join(ctx.workDir, 'rss.txt');
  writeFileSync(probe, RSS_PROBE);
  const env = childEnv(join(ctx.workDir, 'data'));
  env.BENCH_RSS_FILE = rssFile;
  if (credential) Object.assign(env, { COFFER_CLIENT_ID: credential.clientId, COFFER_CLIENT_SECRET: credential.clientSecret });
  const access = credential ? ['--vault', credential.vault] : ['--vault', ctx.fixturePath, '--password-stdin'];
  const run = await timedProcess(process.execPath, ['--require', probe, join(ctx.root, 'bin', 'coffer.js'), ...access, ...args], env, stdin);
  if (run.code !== 0) throw new Error(`coffer ${args.join(' ')} exited ${run.code}: ${run.stderr.trim()}`);
  return { ms: run.ms, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stdout: run.stdout };
}

/** A whole process, spawn to exit, with `stdin` written to it. */
function timedProcess(command: string, args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: now() - t0, code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

async function cliGet(ctx: OpContext): Promise<OpOutcome> {
  const plan: Plan = { warmup: 1, runs: Math.max(ctx.runs, 5) };
  const picks = existing(ctx, 0xc11, plan.warmup + plan.runs);
  let rss = 0;
  const samples = await repeat(plan, async (run) => {
    const it = picks[run + plan.warmup]!;
    const r = await cli(ctx, ['secret', 'get', it.name], `${PASSWORD}\n`);
    if (!r.stdout.trim()) throw new Error(`coffer secret get ${it.name} printed nothing`);
    rss = Math.max(rss, r.rssMb);
    return r.ms;
  });
  return { samples, peakRssMb: rss, note: 'node bin/coffer.js --password-stdin secret get NAME, spawn to exit, fast KDF' };
}

async function cliSearch(ctx: OpContext): Promise<OpOutcome> {
  const plan: Plan = { warmup: 1, runs: Math.max(ctx.runs, 5) };
  const queries = searchQueries(ctx, plan.warmup + plan.runs);
  let rss = 0;
  const samples = await repeat(plan, async (run) => {
    const r = await cli(ctx, ['secret', 'list', '--search', queries[run + plan.warmup]!], `${PASSWORD}\n`);
    rss = Math.max(rss, r.rssMb);
    return r.ms;
  });
  return { samples, peakRssMb: rss, note: 'node bin/coffer.js --password-stdin secret list --search TEXT (table on a pipe), fast KDF' };
}

/**
 * A pipeline's `secret get` (docs/product.md §6): a service credential of all the bench's teams,
 * made on a copy of the vault, reads team-only organization secrets with no password and no KDF.
 */
async function credentialGet(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const path = join(ctx.workDir, 'credential-get.coffer');
  copyFileSync(ctx.fixturePath, path);
  const vault = await Vault.open(path);
  let credential: PipelineCredential;
  try {
    const session = await vault.unlock(undefined, PASSWORD);
    const c = createCredential(session, { name: 'bench-pipeline', teams: [...TEAMS] });
    credential = { vault: path, clientId: c.clientId, clientSecret: c.clientSecret };
    session.lock();
  } finally {
    vault.close();
  }
  const plan: Plan = { warmup: 1, runs: Math.max(ctx.runs, 5) };
  const picks = existing(ctx, 0xc7ed, plan.warmup + plan.runs, (it) => it.input.level === 'organization' && it.input.teams !== undefined && it.status !== 'scheduled');
  let rss = 0;
  try {
    const samples = await repeat(plan, async (run) => {
      const it = picks[run + plan.warmup]!;
      const r = await cli(ctx, ['secret', 'get', it.name, '--level', 'organization'], '', credential);
      if (!r.stdout.trim()) throw new Error(`coffer secret get ${it.name} printed nothing`);
      rss = Math.max(rss, r.rssMb);
      return r.ms;
    });
    return { samples, peakRssMb: rss, note: 'COFFER_CLIENT_ID/SECRET node bin/coffer.js secret get NAME (a team-only organization secret), spawn to exit, on a copy of the vault' };
  } finally {
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
}

/** The foreign formats `coffer import` is measured on, each with its generated export (foreign-exports.ts). */
const FOREIGN_FILES = {
  'keepass-xml': { file: 'export.xml', write: writeKeepassXml, args: [], what: '25% with a history revision' },
  'keepassxc-csv': { file: 'export.csv', write: writeKeepassxcCsv, args: [], what: 'KeePassXC columns' },
  'bitwarden-json': { file: 'export.json', write: writeBitwardenJson, args: [], what: 'logins in 40 folders' },
  '1password-csv': { file: 'export-1p.csv', write: writeOnepasswordCsv, args: [], what: 'no groups' },
  dotenv: { file: 'export.env', write: writeDotenv, args: ['--split'], what: 'one secret per line' },
} as const;

/**
 * `coffer import` of a foreign export of `size` entries into an empty vault: the whole process,
 * spawn to exit, each run on a new empty vault. Top groups become workspaces.
 */
function importForeignFile(format: keyof typeof FOREIGN_FILES) {
  return async (ctx: OpContext): Promise<OpOutcome> => {
    await initSodium();
    const spec = FOREIGN_FILES[format];
    const file = join(ctx.workDir, spec.file);
    spec.write(file, ctx.size, ctx.seed);
    const plan = heavyPlan(ctx);
    let rss = 0;
    let n = 0;
    const samples = await repeat(plan, async () => {
      // A vault of its own each run: copies of one would share its id, and the CLI would see one vault's log go back.
      const path = join(ctx.workDir, `import-${n++}.coffer`);
      const { vault, session } = await createStructuredVault(path);
      session.lock();
      vault.close();
      try {
        const r = await cli({ ...ctx, fixturePath: path }, ['import', file, '--from', format, ...spec.args], `${PASSWORD}\n`);
        if (!r.stdout.includes(`${ctx.size} added`)) throw new Error(`coffer import did not add ${ctx.size} secrets: ${r.stdout.split('\n')[1] ?? ''}`);
        rss = Math.max(rss, r.rssMb);
        return r.ms;
      } finally {
        for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      }
    });
    const mb = statSync(file).size / 1048576;
    const args = ['--from', format, ...spec.args].join(' ');
    return { samples, peakRssMb: rss, note: `node bin/coffer.js --password-stdin import FILE ${args} (${mb.toFixed(1)} MB, ${ctx.size} entries, ${spec.what}) into an empty vault, spawn to exit, fast KDF` };
  };
}

// ---- Side by side with KeePassXC ------------------------------------------------------------

const KEEPASSXC = 'keepassxc-cli';

/** Why vs-keepassxc cannot run here, or undefined when keepassxc-cli answers. */
function keepassxcMissing(): string | undefined {
  const r = spawnSync(KEEPASSXC, ['--version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? `${KEEPASSXC} not installed (on Debian: apt-get install keepassxc)` : undefined;
}

/** keepassxc-cli with the database password on stdin, spawn to exit. */
async function keepassxc(args: string[], stdin: string): Promise<{ ms: number; stdout: string }> {
  const run = await timedProcess(KEEPASSXC, args, process.env, stdin);
  if (run.code !== 0) throw new Error(`${KEEPASSXC} ${args[0]} exited ${run.code}: ${run.stderr.trim().split('\n')[0]}`);
  return run;
}

/**
 * The same N entries (the KeePass XML import-keepass-xml reads) imported into a KeePassXC database
 * and into an empty Coffer vault; then, as whole processes in alternating runs, one entry's password
 * (`keepassxc-cli show -a Password` against `coffer secret get`) and a search (`keepassxc-cli search`
 * against `coffer secret list --search`). Both at their quickest key derivation: KeePassXC's lowest
 * decryption time (100 ms), Coffer's fast KDF. The samples are Coffer's `secret get`; the figure is
 * the lesser of the two ratios of medians (theirs / ours), both in the note.
 */
async function vsKeepassxc(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const xmlFile = join(ctx.workDir, 'export.xml');
  writeKeepassXml(xmlFile, ctx.size, ctx.seed);
  const kdbx = join(ctx.workDir, 'keepassxc.kdbx');
  rmSync(kdbx, { force: true });
  const pass = `${PASSWORD}\n`;
  await keepassxc(['import', '-q', '-p', '-t', '100', xmlFile, kdbx], pass + pass);
  const vaultPath = join(ctx.workDir, 'coffer.coffer');
  const { vault, session } = await createStructuredVault(vaultPath);
  session.lock();
  vault.close();
  const coffer = { ...ctx, fixturePath: vaultPath };
  const imported = await cli(coffer, ['import', xmlFile, '--from', 'keepass-xml'], pass);
  if (!imported.stdout.includes(`${ctx.size} added`)) throw new Error(`coffer import did not add ${ctx.size} entries`);
  rmSync(xmlFile, { force: true });

  const plan: Plan = { warmup: 1, runs: ctx.runs };
  const d = Draw.seeded(ctx.seed ^ 0x6b78);
  const picks = Array.from({ length: plan.warmup + plan.runs }, () => d.int(0, ctx.size - 1));
  // Each matches at every size: keepassxc-cli search exits 1 when nothing does.
  const queries = ['github', 'account 1', 'mail'];
  const t = { theirGet: [] as number[], theirSearch: [] as number[], ourSearch: [] as number[] };
  try {
    const samples = await repeat(plan, async (run) => {
      const i = picks[run + plan.warmup]!;
      const item = foreignItem(ctx.seed, i);
      const query = queries[Math.abs(run) % queries.length]!;
      const theirs = await keepassxc(['show', '-q', '-a', 'Password', kdbx, `/${groupOf(i).join('/')}/${item.title}`], pass);
      if (theirs.stdout.trim() !== item.password) throw new Error(`${KEEPASSXC} show printed another password for ${item.title}`);
      const ours = await cli(coffer, ['secret', 'get', item.title], pass);
      if (!ours.stdout.trim()) throw new Error(`coffer secret get ${item.title} printed nothing`);
      const theirSearch = await keepassxc(['search', '-q', kdbx, query], pass);
      const ourSearch = await cli(coffer, ['secret', 'list', '--search', query], pass);
      if (run >= 0) {
        t.theirGet.push(theirs.ms);
        t.theirSearch.push(theirSearch.ms);
        t.ourSearch.push(ourSearch.ms);
      }
      return ours.ms;
    });
    const getRatio = median(t.theirGet) / median(samples);
    const searchRatio = median(t.theirSearch) / median(t.ourSearch);
    const ms = (xs: number[]) => `${Math.round(median(xs))} ms`;
    return {
      samples,
      value: { amount: Math.min(getRatio, searchRatio), unit: '× (lesser of get, search)' },
      note:
        `${ctx.size} entries, one KeePass XML imported into both (keepassxc-cli import -t 100; coffer import into a fast-KDF vault); alternating whole processes, medians: ` +
        `show -a Password ${ms(t.theirGet)} vs secret get ${ms(samples)} = ${round(getRatio, 1)}×; ` +
        `search ${ms(t.theirSearch)} vs secret list --search ${ms(t.ourSearch)} = ${round(searchRatio, 1)}×`,
    };
  } finally {
    for (const f of [kdbx, vaultPath, `${vaultPath}-wal`, `${vaultPath}-shm`]) rmSync(f, { force: true });
  }
}

/** `coffer serve` on a copy of the vault, as a child process; resolves with its URL once it listens. */
function serveChild(ctx: OpContext, vaultPath: string): Promise<{ url: string; stop(): Promise<number> }> {
  const probe = join(ctx.workDir, 'rss-probe.cjs');
  const rssFile = join(ctx.workDir, 'serve-rss.txt');
  writeFileSync(probe, RSS_PROBE);
  const env = childEnv(join(ctx.workDir, 'data'));
  env.BENCH_RSS_FILE = rssFile;
  const child = spawn(process.execPath, ['--require', probe, join(ctx.root, 'bin', 'coffer.js'), '--vault', vaultPath, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url)
        resolve({
          url,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done(Number(readFileSync(rssFile, 'utf8')) / 1024));
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`coffer serve exited ${code} before listening`)));
  });
}

/**
 * The REST API under load (docs/rest.md): a service account's key, 64 clients reading secret values
 * over keep-alive connections on loopback for 20 s at 100,000 secrets (2 s below), each read a
 * recorded use. Samples are per-request latencies; the rate is reads per second; any non-200 fails it.
 */
async function restLoad(ctx: OpContext): Promise<OpOutcome> {
  await initSodium();
  const path = join(ctx.workDir, 'rest.coffer');
  copyFileSync(ctx.fixturePath, path);
  const vault = await Vault.open(path);
  let secret: string;
  try {
    const session = await vault.unlock(undefined, PASSWORD);
    secret = createAccount(session, { name: 'bench-rest', role: 'member' }).keys[0]!.secret;
    session.lock();
  } finally {
    vault.close();
  }
  const picks = existing(ctx, 0x5e57, 256, (it) => it.status !== 'scheduled' && it.input.level !== 'personal' && it.input.teams === undefined);
  const paths = picks.map((it) => {
    const q = new URLSearchParams({ level: it.input.level as string, ...(it.input.workspace ? { workspace: it.input.workspace } : {}) });
    return `/api/secret/v1/secret/${encodeURIComponent(it.name)}?${q.toString()}`;
  });
  const server = await serveChild(ctx, path);
  const clients = 64;
  const seconds = ctx.size >= 100_000 ? 20 : 2;
  let load: LoadResult;
  let rss = 0;
  try {
    load = await loadHttp({ port: Number(new URL(server.url).port), paths, headers: { authorization: `Bearer ${secret}` }, clients, seconds });
  } finally {
    rss = await server.stop();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
  const { samples, failures, elapsedS, clientCpuS } = load;
  if (failures.size > 0) throw new Error(`REST reads that did not answer 200, by status: ${JSON.stringify(Object.fromEntries(failures))}`);
  return {
    samples,
    perSecond: samples.length / elapsedS,
    peakRssMb: rss,
    note:
      `coffer serve, ${clients} keep-alive clients for ${seconds} s, Bearer key, GET /api/secret/v1/secret/NAME (a value and a recorded use each): ` +
      `${samples.length} reads, 0 errors; the load generator itself used ${(clientCpuS / elapsedS).toFixed(2)} of a core`,
  };
}

/** The review's figures (the dashboard's one call), on an unlocked vault whose listing index is built. */
async function dashboard(ctx: OpContext): Promise<OpOutcome> {
  const u = await openFixture(ctx);
  try {
    let figures = reviewSummary(u.session);
    const samples = await repeat(quickPlan(ctx), () => timedSync(() => (figures = reviewSummary(u.session))));
    const a = figures.attention;
    const lists = `expiring ${a.expiring.total}, inactive ${a.inactive.total}, scheduled ${a.scheduled.total}, never used ${a.neverUsed.total}`;
    return { samples, note: `reviewSummary over ${figures.total} secrets, index built: counts, attention lists (${lists}; first 100 each), 90-day series` };
  } finally {
    u.close();
  }
}

/** `coffer report --format html --out F` as a whole process: unlock, index, figures, one row per secret, the file written. */
async function reportHtml(ctx: OpContext): Promise<OpOutcome> {
  const plan: Plan = { warmup: 1, runs: Math.max(ctx.runs, 3) };
  const out = join(ctx.workDir, 'review.html');
  let rss = 0;
  const samples = await repeat(plan, async () => {
    rmSync(out, { force: true });
    const r = await cli(ctx, ['report', '--format', 'html', '--out', out], `${PASSWORD}\n`);
    rss = Math.max(rss, r.rssMb);
    return r.ms;
  });
  const mb = round(statSync(out).size / 1048576);
  return { samples, peakRssMb: rss, note: `node bin/coffer.js --password-stdin report --format html --out F, spawn to exit, fast KDF (${mb} MB file)` };
}

// ---- Registry --------------------------------------------------------------------------------

export const OPS: readonly OpDef[] = [
  { op: 'file-size', kind: 'core', measure: fileSize },
  { op: 'kdf-standard', kind: 'core', measure: kdfStandard },
  { op: 'kdf-fast', kind: 'core', measure: kdfFast },
  { op: 'unlock-minus-kdf', kind: 'core', measure: unlockMinusKdf },
  { op: 'first-page-name', kind: 'core', measure: firstPage('name') },
  { op: 'first-page-expiry', kind: 'core', measure: firstPage('expires') },
  { op: 'filter-status', kind: 'core', measure: filterStatus },
  { op: 'search', kind: 'core', measure: search },
  { op: 'get', kind: 'core', measure: get },
  { op: 'create', kind: 'core', measure: create },
  { op: 'edit', kind: 'core', measure: edit },
  { op: 'bulk-import', kind: 'core', measure: bulkImport },
  { op: 'scheduler-pass', kind: 'core', measure: schedulerPass },
  { op: 'dashboard', kind: 'core', measure: dashboard },
  { op: 'audit-verify', kind: 'core', measure: auditVerify },
  { op: 'bundle-export', kind: 'core', measure: bundleExport, heavy: true },
  { op: 'bundle-import', kind: 'core', measure: bundleImport, heavy: true },
  { op: 'member-remove', kind: 'core', measure: memberRemove, heavy: true },
  { op: 'cli-get', kind: 'cli', measure: cliGet },
  { op: 'cli-search', kind: 'cli', measure: cliSearch },
  { op: 'report-html', kind: 'cli', measure: reportHtml, heavy: true },
  { op: 'credential-get', kind: 'cli', measure: credentialGet },
  { op: 'import-keepass-xml', kind: 'cli', measure: importForeignFile('keepass-xml'), heavy: true },
  { op: 'import-keepassxc-csv', kind: 'cli', measure: importForeignFile('keepassxc-csv'), heavy: true },
  { op: 'import-bitwarden-json', kind: 'cli', measure: importForeignFile('bitwarden-json'), heavy: true },
  { op: 'import-1password-csv', kind: 'cli', measure: importForeignFile('1password-csv'), heavy: true },
  { op: 'import-dotenv', kind: 'cli', measure: importForeignFile('dotenv'), heavy: true },
  { op: 'rest-load', kind: 'cli', measure: restLoad, heavy: true },
  { op: 'vs-keepassxc', kind: 'cli', measure: vsKeepassxc, unavailableHere: keepassxcMissing, heavy: true },
  { op: 'app-start', kind: 'ui' },
  { op: 'ui-unlock-to-table', kind: 'ui' },
  { op: 'ui-scroll-frame', kind: 'ui' },
];

export function opDef(op: OpName): OpDef {
  const def = OPS.find((d) => d.op === op);
  if (!def) throw new Error(`unknown op ${op}`);
  return def;
}
