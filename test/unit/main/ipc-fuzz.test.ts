import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../../electron/core/app';
import { initSodium } from '../../../electron/core/crypto/sodium';
import { SecretClipboard } from '../../../electron/main/clipboard';
import type { IpcMainLike } from '../../../electron/main/ipc';
import { registerIpc } from '../../../electron/main/ipc';
import { isTrustedUrl } from '../../../electron/main/trusted';
import type { Result } from '../../../shared/errors';
import { ERROR_CODES } from '../../../shared/errors';
import type { Channel } from '../../../shared/ipc';
import { contract } from '../../../shared/ipc';
import { fuzzRuns } from '../../support/fuzz';
import { tablesDigest, withRawDb } from '../../support/sql';
import { PASSWORD } from '../../support/vault';

/**
 * Every contract channel, through the real Electron registration, against a real unlocked vault:
 * hostile payloads (anything structured clone can carry, deep nesting, prototype keys, huge
 * strings, NaN) and payloads shaped like the channel's schema with random values and real ids.
 * Every answer must be a typed result (INTERNAL would be a bug), and the vault must come out whole.
 * `npm run soak` multiplies the inputs (COFFER_FUZZ_SCALE=10).
 */
const TOTAL_INPUTS = fuzzRuns(10_000);
const CHANNELS = Object.keys(contract) as Channel[];
/** Wrong-sender calls, counted apart from the per-channel share. */
const FOREIGN_CALLS = fuzzRuns(600);
const PER_CHANNEL = Math.ceil((TOTAL_INPUTS - FOREIGN_CALLS) / CHANNELS.length);
/** Longer than any honest call takes here: past it the call counts as hung. */
const HANG_MS = 10_000;

const APP_URL = 'app://coffer/index.html';
const SEEDED = [
  { type: 'api-key', name: 'fuzz-api', fields: { headerName: 'X-Key', value: 'fuzz-seed-value-api-7Q2' } },
  { type: 'bearer-token', name: 'fuzz-token', level: 'personal', fields: { headerName: 'Authorization', headerValue: 'fuzz-seed-value-token-9K4' } },
  { type: 'key-value', name: 'fuzz-kv', level: 'workspace', workspace: 'Payments', fields: { pairs: [{ key: 'DB_PASS', value: 'fuzz-seed-value-kv-3M8' }] } },
  { type: 'api-key', name: 'fuzz-unnamed', level: 'organization', fields: { headerName: 'X-Key', value: 'fuzz-seed-value-unnamed-5W1' } },
] as const;
const SEEDED_VALUES = ['fuzz-seed-value-api-7Q2', 'fuzz-seed-value-token-9K4', 'fuzz-seed-value-kv-3M8', 'fuzz-seed-value-unnamed-5W1'];
/** Left out of the payloads' pool: no valid write can name it, so its value must come out as it went in. */
const UNNAMED = 'fuzz-unnamed';
/** The ones that act on a secret: a success on a seeded one means its value may rightly have changed. */
const SECRET_WRITES = new Set<Channel>(['secrets.edit', 'secrets.restore', 'secrets.scheduleDeletion', 'secrets.deleteNow', 'imports.apply']);

type Listener = Parameters<IpcMainLike['handle']>[1];

/** Stands in for Electron's ipcMain and clipboard (not ours); everything behind them is the real app. */
function fakeElectron() {
  let listener: Listener | undefined;
  const ipcMain: IpcMainLike = { handle: (_channel, fn) => void (listener = fn) };
  let text = '';
  const clipboard = { writeText: (t: string) => void (text = t), readText: () => text, clear: () => void (text = '') };
  const call = (frame: { url: string } | null, channel: unknown, input: unknown) => listener!({ senderFrame: frame }, channel, input);
  return { ipcMain, clipboard, call };
}

/** Values that break naive code: non-finite numbers, prototype keys, huge and odd strings, wrong containers. */
const pollutingKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then'];
const oddStrings = fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', 'DELETE', '%s%n', '\u202e', '\ud800', 'x'.repeat(70_000), '💥'.repeat(5000), '__proto__');
const leaf = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, -1, 0, 1e308, null, undefined, true, false, 10n),
  oddStrings,
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 64 }),
  fc.date({ noInvalidDate: false }),
);
/** An object with own prototype-named keys (Object.fromEntries defines them as data, as structured clone would). */
const polluting = fc
  .array(fc.tuple(fc.constantFrom(...pollutingKeys), fc.oneof(leaf, fc.constant({ polluted: true }))), { minLength: 1, maxLength: 3 })
  .map((entries) => Object.fromEntries(entries));
const deep = fc.integer({ min: 50, max: 3000 }).chain((depth) =>
  fc.constantFrom('object', 'array').map((kind) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { id: v };
    return v;
  }),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 4, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }), weight: 4 },
  { arbitrary: leaf, weight: 2 },
  { arbitrary: polluting, weight: 2 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: fc.array(leaf, { maxLength: 5 }), weight: 1 },
);

/**
 * Payloads shaped like a schema: its keys, strings from a pool of real ids and names, so that many
 * pass validation and reach the core. With `noise`, now and then a key is missing, an extra or a
 * prototype key is added, or a hostile value takes any place.
 */
function shaped(schema: z.ZodType, pool: fc.Arbitrary<string>, noise: boolean, depth = 0): fc.Arbitrary<unknown> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (s: unknown) => shaped(s as z.ZodType, pool, noise, depth + 1);
  const noisy = (a: fc.Arbitrary<unknown>) => (noise ? fc.oneof({ arbitrary: a, weight: 9 }, { arbitrary: depth > 3 ? leaf : hostile, weight: 1 }) : a);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const keys = Object.keys(shape);
      const extra = noise ? fc.option(fc.tuple(fc.oneof(fc.constantFrom(...pollutingKeys), fc.string({ maxLength: 8 })), leaf), { freq: 8 }) : fc.constant(null);
      return noisy(
        fc
          .tuple(fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), inner(shape[k]), fc.nat(noise ? 19 : 0)))), extra)
          .map(([entries, more]) => Object.fromEntries([...entries.filter(([, , keep]) => !noise || keep !== 0).map(([k, v]) => [k, v]), ...(more ? [more] : [])])),
      );
    }
    case 'array':
      return noisy(fc.array(inner(def.element), { maxLength: depth > 2 ? 2 : 4 }));
    case 'optional':
    case 'default':
      return fc.oneof(fc.constant(undefined), inner(def.innerType));
    case 'nullable':
      return fc.oneof(fc.constant(null), inner(def.innerType));
    case 'pipe':
      return inner(def.in);
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map(inner));
    case 'enum':
      return noisy(fc.constantFrom(...Object.values(def.entries as Record<string, string>)));
    case 'literal':
      return noisy(fc.constantFrom(...(def.values as unknown[])));
    case 'string':
      return noisy(fc.oneof({ arbitrary: pool, weight: 4 }, fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 80 })));
    case 'number':
      return noisy(fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: -5, max: 100_000 }), fc.double()));
    case 'boolean':
      return noisy(fc.boolean());
    case 'custom':
      return noisy(fc.uint8Array({ maxLength: 512 }));
    default:
      return hostile;
  }
}

/** Every string in a payload, to see which seeded secrets a successful write could have named. */
function stringsIn(v: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (v && typeof v === 'object' && depth < 20) for (const x of Object.values(v)) stringsIn(x, out, depth + 1);
  return out;
}

function withDeadline<T>(p: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: ${what()}`)), HANG_MS);
  });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

const describeInput = (channel: unknown, input: unknown) => `${String(channel)} ${fc.stringify(input).slice(0, 300)}`;

describe('IPC fuzz: every channel through the Electron registration', () => {
  let dir: string;
  let vaultPath: string;
  let app: CofferApp;
  const electron = fakeElectron();
  const seeded: { id: string; name: string; value: string }[] = [];
  /** Seeded secrets a successful write named: their values may rightly differ at the end. */
  const touched = new Set<string>();
  const counts = { calls: 0, ok: 0, relocked: 0, byCode: new Map<string, number>() };

  const call = (channel: unknown, input: unknown) => electron.call({ url: APP_URL }, channel, input) as Promise<Result<unknown>>;

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-ipc-fuzz-'));
    vaultPath = join(dir, 'v.coffer');
    app = new CofferApp({ vaultPath, door: 'desktop' });
    // A save dialog the user cancels: a download's file is deleted, never left in the outbox.
    registerIpc(electron.ipcMain, app, new SecretClipboard(electron.clipboard), { choosePath: () => Promise.resolve(null) });
    expect(await call('vault.create', { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' })).toMatchObject({ ok: true });
    expect(await call('workspaces.add', { name: 'Payments' })).toMatchObject({ ok: true });
    expect(await call('teams.add', { name: 'Ops' })).toMatchObject({ ok: true });
    expect(await call('members.add', { name: 'bob', role: 'member' })).toMatchObject({ ok: true });
    for (const [i, s] of SEEDED.entries()) {
      const r = await call('secrets.register', s);
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      seeded.push({ id: (r as { value: { id: string } }).value.id, name: s.name, value: SEEDED_VALUES[i]! });
    }
  });
  afterAll(() => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Real ids and names next to made-up ones, so shaped payloads reach the core, not only the schema. The password is left out: no call may change it. */
  const pool = () =>
    fc.oneof(
      fc.constantFrom(...seeded.filter((s) => s.name !== UNNAMED).flatMap((s) => [s.id, s.name]), 'alice', 'bob', 'Ops', 'Payments', 'Acme', 'member', 'sys-admin', 'DELETE', 'fast'),
      fc.uuid(),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    );

  /** One call as the app's own page: a typed result, never a throw, a hang or INTERNAL, and no seeded value in an error. */
  async function check(channel: Channel, input: unknown): Promise<void> {
    const r = await withDeadline(call(channel, input), () => describeInput(channel, input));
    counts.calls++;
    if (typeof r !== 'object' || r === null || typeof r.ok !== 'boolean') expect.fail(`not a result: ${describeInput(channel, input)}`);
    if (r.ok) {
      counts.ok++;
      if (!contract[channel].output.safeParse(r.value).success) expect.fail(`output off contract: ${describeInput(channel, input)}`);
      if (SECRET_WRITES.has(channel)) for (const s of stringsIn(input)) touched.add(s);
    } else {
      counts.byCode.set(r.error.code, (counts.byCode.get(r.error.code) ?? 0) + 1);
      if (!ERROR_CODES.includes(r.error.code) || r.error.code === 'INTERNAL') expect.fail(`${r.error.code} for ${describeInput(channel, input)}`);
      expect(typeof r.error.message === 'string' && r.error.message.length > 0).toBe(true);
      expect(r.error.field === undefined || typeof r.error.field === 'string').toBe(true);
      const said = JSON.stringify(r.error);
      for (const v of SEEDED_VALUES) expect(said).not.toContain(v);
    }
    // vault.lock, a failed unlock (it locks first) or a reopen leave the app locked: unlock again so the next call reaches the core.
    if (channel.startsWith('vault.') && ((await call('app.status', {})) as { value: { state: string } }).value.state !== 'unlocked') {
      counts.relocked++;
      expect(await call('vault.unlock', { member: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
    }
  }

  it.each(CHANNELS)('%s answers every payload with a typed result', async (channel) => {
    const input = contract[channel].input;
    // vault.demo with a valid (empty) payload moves the app to a throwaway demo vault, off the vault
    // under test: only payloads its schema refuses are sent (demo.test.ts covers the switch).
    const payload =
      channel === 'vault.demo'
        ? hostile.filter((p) => !input.safeParse(p ?? {}).success)
        : fc.oneof(hostile, shaped(input, pool(), true), { arbitrary: shaped(input, pool(), false), weight: 2 }, fc.constantFrom(undefined, null, {}, [], [{}], 'app.status'));
    await fc.assert(
      fc.asyncProperty(payload, (p) => check(channel, p)),
      { numRuns: PER_CHANNEL },
    );
  });

  it('refuses every foreign or missing frame before the core, whatever the channel and payload', async () => {
    const before = tablesDigest(vaultPath);
    const frame = fc.oneof(
      fc.constant(null),
      fc.webUrl({ withFragments: true, withQueryParameters: true }).map((url) => ({ url })),
      fc.constantFrom('app://coffer.evil/index.html', 'app://COFFER/index.html', 'file:///index.html', 'devtools://devtools/x', 'app://coffer@evil/', '').map((url) => ({ url })),
      fc.string().map((url) => ({ url })),
    );
    const channel = fc.oneof(fc.constantFrom(...CHANNELS), fc.string());
    await fc.assert(
      fc.asyncProperty(frame, channel, hostile, async (f, c, p) => {
        fc.pre(f === null || !isTrustedUrl(f.url));
        const r = await withDeadline(electron.call(f, c, p), () => describeInput(c, p));
        counts.calls++;
        expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Coffer' } });
      }),
      { numRuns: FOREIGN_CALLS },
    );
    expect(tablesDigest(vaultPath)).toBe(before);
  });

  it(`reached ${TOTAL_INPUTS} inputs, and the vault came out whole`, async () => {
    expect(counts.calls).toBeGreaterThanOrEqual(TOTAL_INPUTS);
    // Shaped payloads reached the core, not only the schema: some succeeded, some failed past validation.
    expect(counts.ok).toBeGreaterThan(CHANNELS.length);
    for (const code of ['NOT_FOUND', 'CONFLICT', 'VALIDATION']) expect(counts.byCode.get(code)).toBeGreaterThan(0);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const status = (await call('app.status', {})) as { ok: true; value: { state: string; integrity: object } };
    expect(status.value.state).toBe('unlocked');
    expect(status.value.integrity).toEqual({});
    expect(await call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    expect(withRawDb(vaultPath, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');

    const untouched = seeded.filter((s) => !touched.has(s.id) && !touched.has(s.name));
    expect(untouched.map((s) => s.name)).toContain(UNNAMED);
    for (const s of untouched) {
      const revealed = (await call('secrets.reveal', { id: s.id })) as { ok: true; value: { fields: { value: unknown }[] } };
      expect(JSON.stringify(revealed.value.fields)).toContain(s.value);
    }
    console.info(
      `ipc fuzz: ${counts.calls} calls, ${counts.ok} ok, ${counts.relocked} re-unlocks, errors ${JSON.stringify(Object.fromEntries(counts.byCode))}, seeded touched ${seeded.length - untouched.length}`,
    );
  });
});
