import { X509Certificate } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../../electron/core/db/migrations';
import content from '../../fixtures/vaults/content.json';
import type { Member } from './run';
import { alongside, inParallel, member, ok, useTempDirs } from './run';

/**
 * Vaults written by the Coffer of each earlier schema version (test/fixtures/vaults/README.md),
 * opened by today's CLI: upgraded in place, every secret, revision, use and member still there.
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'vaults');
const versions = readdirSync(FIXTURES)
  .map((f) => /^v(\d+)\.sqlite$/.exec(f)?.[1])
  .filter((v): v is string => v !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

interface Listed {
  name: string;
  type: string;
  level: string;
  workspace: string | null;
  status: string;
}

it('a populated vault of every earlier schema version is kept as a fixture', () => {
  // A new migration needs a vault made by the Coffer before it: see test/fixtures/vaults/README.md.
  expect(versions).toEqual(Array.from({ length: LATEST_VERSION - 1 }, (_, i) => i + 1));
});

describe.each(versions)('a vault of schema version %i', alongside, (version) => {
  const tempDir = useTempDirs();

  /** A fresh copy of the fixture for each test: they run side by side. */
  const open = (): { alice: Member; bob: Member } => {
    const vault = join(tempDir(), 'old.coffer');
    copyFileSync(join(FIXTURES, `v${version}.sqlite`), vault);
    return { alice: member(vault, content.password, 'alice'), bob: member(vault, content.password, 'bob') };
  };

  it('is upgraded to the latest format with every secret, value, revision, use and member kept', async () => {
    const { alice, bob } = open();
    const info = JSON.parse(await ok(alice(['--json', 'info']))) as { format: number; organization: string; members: { name: string; role: string }[] };
    expect(info.format).toBe(LATEST_VERSION);
    expect(info.organization).toBe(content.organization);
    expect(info.members.map((m) => ({ login: m.name, role: m.role }))).toEqual(content.members);

    // Listed before any read: a read is a use, and a use cancels a scheduled deletion.
    const listed = JSON.parse(await ok(alice(['--json', 'secret', 'list']))) as Listed[];
    const alicesSecrets = content.secrets.filter((s) => s.as === 'alice');
    expect(listed.map((s) => [s.name, s.type, s.level]).sort()).toEqual(alicesSecrets.map((s) => [s.name, s.type, s.level]).sort());
    expect(listed.find((s) => s.name === 'ci-token')?.status).toBe(version >= 2 ? 'scheduled' : 'active');
    expect(listed.find((s) => s.name === 'backend-env')?.workspace).toBe(content.workspace);

    const pem = new X509Certificate(readFileSync(join(FIXTURES, `v${version}.sqlite.pem`))).toString();
    const values = await inParallel(alicesSecrets.map((s) => () => ok(alice(['secret', 'get', s.name]))));
    expect(values).toEqual(alicesSecrets.map((s) => `${s.main ?? pem}\n`));

    const history = JSON.parse(await ok(alice(['--json', 'secret', 'history', 'stripe']))) as { revision: number }[];
    expect(history.map((r) => r.revision)).toEqual([2, 1]);
    const usage = JSON.parse(await ok(alice(['--json', 'secret', 'usage', 'stripe']))) as { entries: { consumer: string }[] };
    expect(usage.entries.map((e) => e.consumer)).toContain('fixture-reader');

    // Bob's own key, and the team-only secret he reads as a member of the team.
    expect(await ok(bob(['secret', 'get', 'bob-key']))).toBe('fixture-bob-five\n');
    expect(await ok(bob(['secret', 'get', 'payments']))).toBe('fixture-client-secret-three\n');
    expect((await alice(['secret', 'get', 'bob-key'])).code).toBe(5);

    await ok(alice(['audit', 'verify']));
  }, 90_000);

  it('takes new secrets and edits after the upgrade', async () => {
    const { alice, bob } = open();
    await ok(alice(['secret', 'add', 'api-key', 'after-upgrade', '--header', 'X-Key', '--value-stdin'], 'fixture-after-six'));
    await ok(alice(['secret', 'edit', 'payments', '--value-stdin'], 'fixture-client-secret-seven'));
    expect(await ok(alice(['secret', 'get', 'after-upgrade']))).toBe('fixture-after-six\n');
    expect(await ok(bob(['secret', 'get', 'payments']))).toBe('fixture-client-secret-seven\n');
    const listed = JSON.parse(await ok(alice(['--json', 'secret', 'list']))) as Listed[];
    expect(listed.map((s) => s.name)).toContain('after-upgrade');
  }, 90_000);
});
