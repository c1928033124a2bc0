import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoVault } from '../../electron/core/demo';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { listNotices } from '../../electron/core/lifecycle/notices';
import { listSecrets, secretUsage } from '../../electron/core/secrets/reading';
import { listCredentials } from '../../electron/core/vault/credentials';
import { listMembers } from '../../electron/core/vault/members';
import type { Session } from '../../electron/core/vault/session';
import { listTeams } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { DEMO_PASSWORD } from '../../shared/demo';
import { LEVELS, SECRET_TYPES, STATUSES } from '../../shared/schemas/secrets';
import type { SecretSummary } from '../../shared/schemas/secrets';

/** The demo's "now": its history is simulated up to here. */
const NOW = Date.parse('2026-12-06T12:00:00Z');
const clock = { now: () => NOW };

async function openDemo(): Promise<{ vault: Vault; session: Session; path: string }> {
  const { path, password } = await createDemoVault({ clock });
  expect(password).toBe(DEMO_PASSWORD);
  const vault = await Vault.open(path, { context: { clock } });
  return { vault, session: await vault.unlock('demo', DEMO_PASSWORD), path };
}

describe('the demo vault', () => {
  let demo: Awaited<ReturnType<typeof openDemo>>;
  let secrets: SecretSummary[];

  beforeAll(async () => {
    demo = await openDemo();
    secrets = listSecrets(demo.session, { limit: 10_000 }).items;
  }, 60_000);
  afterAll(() => {
    demo.session.lock();
    demo.vault.close();
    rmSync(dirname(demo.path), { recursive: true, force: true });
  });

  it('holds a few hundred secrets of every type at every level, in every status', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(200);
    for (const level of LEVELS) {
      for (const type of SECRET_TYPES) expect(secrets.some((s) => s.level === level && s.type === type), `${type} at ${level}`).toBe(true);
    }
    for (const status of STATUSES) expect(secrets.filter((s) => s.status === status).length, status).toBeGreaterThanOrEqual(5);
    expect(secrets.filter((s) => s.availability === 'teams').length).toBeGreaterThanOrEqual(10);
  });

  it('gives a reviewer something in every list: expiring soon, expired, never used, scheduled with days left', () => {
    const soon = secrets.filter((s) => s.expires !== null && s.expires >= NOW && s.expires < NOW + 30 * DAY_MS);
    expect(soon.length).toBeGreaterThanOrEqual(10);
    expect(secrets.some((s) => s.expires !== null && s.expires < NOW)).toBe(true);
    expect(secrets.filter((s) => s.lastUsed === null).length).toBeGreaterThanOrEqual(5);
    const scheduled = secrets.filter((s) => s.status === 'scheduled');
    expect(scheduled.every((s) => s.deletion !== null && s.deletion > NOW)).toBe(true);
    const notices = listNotices(demo.session, { all: true });
    expect(new Set(notices.map((n) => n.kind))).toEqual(new Set(['deletion', 'expiration']));
    // Those of the last week are unread, as if someone had used the vault until then.
    const unread = notices.filter((n) => !n.read);
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.length).toBeLessThan(notices.length / 2);
    expect(unread.every((n) => n.createdAt >= NOW - 7 * DAY_MS)).toBe(true);
  });

  it('was used over the last ninety days, by several consumers', () => {
    const entries = secrets.filter((s) => s.lastUsed !== null).flatMap((s) => secretUsage(demo.session, { id: s.id }).entries);
    const daysAgo = new Set(entries.map((e) => Math.floor((NOW - e.at) / DAY_MS)));
    expect(daysAgo.size).toBeGreaterThanOrEqual(80);
    expect(Math.min(...entries.map((e) => e.at))).toBeGreaterThan(NOW - 100 * DAY_MS);
    expect(Math.max(...entries.map((e) => e.at))).toBeLessThanOrEqual(NOW);
    expect(new Set(entries.map((e) => e.consumer)).size).toBeGreaterThanOrEqual(4);
  });

  it('has members with several roles, the Spot teams, a service credential', () => {
    expect(listMembers(demo.session).map((m) => m.name).sort()).toEqual(['demo', 'lee', 'maria', 'sam']);
    expect(new Set(listMembers(demo.session).map((m) => m.role)).size).toBeGreaterThanOrEqual(3);
    expect(listTeams(demo.session).map((t) => t.name)).toEqual(expect.arrayContaining(['CodeCrafters', 'Bytebards', 'GlitchGuardians', 'QuantumQuorums', 'NeuralNinjas', 'EchoEngineers']));
    expect(listCredentials(demo.session).map((c) => c.name)).toEqual(['ci-deploy']);
  });

  it('is the same demo every time', async () => {
    const again = await openDemo();
    try {
      const shape = (items: SecretSummary[]) => items.map((s) => [s.name, s.level, s.workspace, s.type, s.status, s.expires, s.lastUsed, s.deletion].join('|')).sort();
      expect(shape(listSecrets(again.session, { limit: 10_000 }).items)).toEqual(shape(secrets));
    } finally {
      again.session.lock();
      again.vault.close();
      rmSync(dirname(again.path), { recursive: true, force: true });
    }
  }, 60_000);
});
