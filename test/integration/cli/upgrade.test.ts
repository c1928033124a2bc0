import { X509Certificate } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditFor } from '../../../electron/core/audit/access';
import { LATEST_VERSION } from '../../../electron/core/db/migrations';
import { getSecretValue, listSecrets, secretUsage } from '../../../electron/core/secrets/reading';
import { secretHistory } from '../../../electron/core/secrets/revisions';
import { Vault } from '../../../electron/core/vault/vault';
import type { Session } from '../../../electron/core/vault/session';
import { CofferError } from '../../../shared/errors';
import content from '../../fixtures/vaults/content.json';
import type { Member } from './run';
import { alongside, member, ok, useTempDirs } from './run';
import { asMember } from './seeded';

/**
 * Vaults written by the Coffer of each earlier schema version (test/fixtures/vaults/README.md),
 * opened by today's CLI: upgraded in place, every secret, revision, use and member still there.
 *
 * The CLI opens (and so upgrades) each vault and writes to it; what the upgraded file holds is then
 * read in this process through electron/core, which is what `coffer secret get` and the other
 * reading commands call: a dozen CLI start-ups per version would read the same things at half a
 * second of CPU each. The reading commands have their own tests (secrets.test.ts).
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'vaults');
const versions = readdirSync(FIXTURES)
  .map((f) => /^v(\d+)\.sqlite$/.exec(f)?.[1])
  .filter((v): v is string => v !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

it('a populated vault of every earlier schema version is kept as a fixture', () => {
  // A new migration needs a vault made by the Coffer before it: see test/fixtures/vaults/README.md.
  expect(versions).toEqual(Array.from({ length: LATEST_VERSION - 1 }, (_, i) => i + 1));
});

/** Opens the vault as the CLI does (read-write: reads are recorded as uses), unlocks as `login`, runs `read`. */
async function readAs<T>(path: string, login: string, read: (s: Session) => T): Promise<T> {
  return asMember(await Vault.open(path), login, content.password, read);
}

/** The code of the error `read` throws; a read that succeeds fails the test. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    if (e instanceof CofferError) return e.code;
    throw e;
  }
  throw new Error('the read succeeded');
}

const valueOf = (s: Session, name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;

describe.each(versions)('a vault of schema version %i', alongside, (version) => {
  const tempDir = useTempDirs();

  /** A fresh copy of the fixture for each test: they run side by side. */
  const open = (): { vault: string; alice: Member } => {
    const vault = join(tempDir(), 'old.coffer');
    copyFileSync(join(FIXTURES, `v${version}.sqlite`), vault);
    return { vault, alice: member(vault, content.password, 'alice') };
  };

  it('is upgraded to the latest format with every secret, value, revision, use and member kept', async () => {
    const { vault, alice } = open();
    const first = await alice(['--json', 'info']);
    // Said before the migrations run, which take a while on a large vault; said once.
    expect(first.stderr).toContain(`coffer: warning: upgrading the vault from format ${version} to ${LATEST_VERSION}, once`);
    expect(first.stderr).toContain(`${vault}.pre-v${LATEST_VERSION}.bak`);
    const info = JSON.parse(await ok(first)) as { format: number; organization: string; members: { name: string; role: string }[] };
    expect((await alice(['--json', 'info'])).stderr).not.toContain('upgrading');
    expect(info.format).toBe(LATEST_VERSION);
    expect(info.organization).toBe(content.organization);
    expect(info.members.map((m) => ({ login: m.name, role: m.role }))).toEqual(content.members);

    const pem = new X509Certificate(readFileSync(join(FIXTURES, `v${version}.sqlite.pem`))).toString();
    const alicesSecrets = content.secrets.filter((s) => s.as === 'alice');
    const seen = await readAs(vault, 'alice', (s) => {
      // Listed before any read: a read is a use, and a use cancels a scheduled deletion.
      const listed = listSecrets(s).items;
      const values = alicesSecrets.map((x) => valueOf(s, x.name));
      return { listed, values, history: secretHistory(s, { name: 'stripe' }), usage: secretUsage(s, { name: 'stripe' }), bobsKey: refusal(() => valueOf(s, 'bob-key')) };
    });
    expect(seen.listed.map((s) => [s.name, s.type, s.level]).sort()).toEqual(alicesSecrets.map((s) => [s.name, s.type, s.level]).sort());
    expect(seen.listed.find((s) => s.name === 'ci-token')?.status).toBe(version >= 2 ? 'scheduled' : 'active');
    expect(seen.listed.find((s) => s.name === 'backend-env')?.workspace).toBe(content.workspace);
    expect(seen.values).toEqual(alicesSecrets.map((s) => s.main ?? pem));
    expect(seen.history.map((r) => r.revision)).toEqual([2, 1]);
    // The label given to --consumer: a bare label before use records held who, door and how; their detail since.
    expect(seen.usage.entries.map((e) => e.detail ?? e.consumer)).toContain('fixture-reader');
    // Bob's own key, and the team-only secret he reads as a member of the team; his key is his alone.
    expect(await readAs(vault, 'bob', (s) => [valueOf(s, 'bob-key'), valueOf(s, 'payments')])).toEqual(['fixture-bob-five', 'fixture-client-secret-three']);
    expect(seen.bobsKey).toBe('NOT_FOUND');

    expect(await readAs(vault, 'alice', verifyAuditFor)).toMatchObject({ ok: true });
  }, 90_000);

  it('takes new secrets and edits after the upgrade', async () => {
    const { vault, alice } = open();
    await ok(alice(['secret', 'add', 'api-key', 'after-upgrade', '--header', 'X-Key', '--value-stdin'], 'fixture-after-six'));
    await ok(alice(['secret', 'edit', 'payments', '--value-stdin'], 'fixture-client-secret-seven'));
    const alices = await readAs(vault, 'alice', (s) => ({ value: valueOf(s, 'after-upgrade'), names: listSecrets(s).items.map((x) => x.name) }));
    expect(alices.value).toBe('fixture-after-six');
    expect(alices.names).toContain('after-upgrade');
    expect(await readAs(vault, 'bob', (s) => valueOf(s, 'payments'))).toBe('fixture-client-secret-seven');
  }, 90_000);
});
