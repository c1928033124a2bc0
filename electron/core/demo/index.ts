import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../../../shared/demo';
import type { CoreContext } from '../context';
import { scheduleDeletion } from '../lifecycle/actions';
import { DAY_MS, isoDay, systemClock } from '../lifecycle/clock';
import { listNotices, markNoticesRead } from '../lifecycle/notices';
import { sessionPass } from '../lifecycle/passes';
import { getSecretValue } from '../secrets/reading';
import { registerSecret } from '../secrets/registration';
import { createAccount } from '../vault/accounts';
import { createCredential } from '../vault/credentials';
import { addMember } from '../vault/members';
import type { Session } from '../vault/session';
import { addTeam, addTeamMember, addWorkspace } from '../vault/structure';
import { Vault } from '../vault/vault';
import type { DemoSecret } from './catalog';
import { DEMO_MEMBERS, DEMO_TEAMS, DEMO_WORKSPACES, demoSecrets } from './catalog';
import { Draw } from './draw';

export { DEMO_TEAMS } from './catalog';

// A throwaway self-signed certificate for the demo only (CN=payments.demo.coffer.invalid); it protects nothing.
const DEMO_CERT = `-----BEGIN CERTIFICATE-----
MIIBzzCCAXWgAwIBAgIUGjduqevzahmQ9cy2890ydQ9IarcwCgYIKoZIzj0EAwIw
PTElMCMGA1UEAwwccGF5bWVudHMuZGVtby5jb2ZmZXIuaW52YWxpZDEUMBIGA1UE
CgwLQ29mZmVyIGRlbW8wHhcNMjYxMTI1MTc0ODQ0WhcNMzYxMTIyMTc0ODQ0WjA9
MSUwIwYDVQQDDBxwYXltZW50cy5kZW1vLmNvZmZlci5pbnZhbGlkMRQwEgYDVQQK
DAtDb2ZmZXIgZGVtbzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLdRinA0RbG2
NNVVz9pr08RDT8vH8nBOjXiV3nVltV2AFtuy8snTXRCcjLD8AwRs3zxkmuE6Wb4/
4ZLjvF2x8TSjUzBRMB0GA1UdDgQWBBSpAlxEVKpp8FcLnfbF5NhZ03a2fDAfBgNV
HSMEGDAWgBSpAlxEVKpp8FcLnfbF5NhZ03a2fDAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIQDqCblOwF/OiWBzkn0+7WULTYfHY1gixnTjrmqCFela
ogIgClDNHjDfRpuLL3EpiQV7soDDQvV1g1cflWQafp01raU=
-----END CERTIFICATE-----`;
const DEMO_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgC36vzTuO6nzx/2K4
XtekNOt3IOb3B+z1R7trOAiNmV6hRANCAAS3UYpwNEWxtjTVVc/aa9PEQ0/Lx/Jw
To14ld51ZbVdgBbbsvLJ010QnIyw/AMEbN88ZJrhOlm+P+GS47xdsfE0
-----END PRIVATE KEY-----`;

const file = (fileName: string, text: string) => ({ fileName, base64: Buffer.from(text).toString('base64') });

/** Days the demo's history spans: its secrets were registered, used and left alone over these. */
const DAYS = 100;
/** The same demo every time (docs/product.md §3, "Try a demo vault"). */
const SEED = 20_261_206;

/** Whether a secret is read on `day`, by its pattern; `i` varies the days between secrets. */
function readOn(secret: DemoSecret, i: number, day: number, retireDay: number): boolean {
  const age = day - secret.day;
  if (age < 0) return false;
  switch (secret.pattern) {
    case 'daily':
      return (age + i) % 3 === 0;
    case 'weekly':
      return (age + i) % 7 === 0;
    case 'stale':
      // Read for a few weeks, then dropped: Inactive 30 days after, purged 30 days later.
      return age < 14 + (i % 30) && (age + i) % 3 === 0;
    case 'retired':
      return day < retireDay && (age + i) % 3 === 0;
    case 'never':
      return false;
  }
}

/**
 * A throwaway vault worth reviewing, in a temp folder: a few hundred secrets of every type at every
 * level, four members, the Spot teams, a service credential and a service account, read over the
 * last hundred days by several consumers, so that every status, notice and chart has something to
 * show. Its history is simulated on its own clock, from a hundred days ago to now, with the
 * lifecycle pass run every day as the app would have run it.
 */
export async function createDemoVault(context?: Partial<CoreContext>): Promise<{ path: string; password: string }> {
  const end = (context?.clock ?? systemClock).now();
  const start = end - DAYS * DAY_MS;
  let now = start;
  const clock = { now: () => now };
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-demo-')), 'demo.coffer');
  const vault = await Vault.create(path, { org: 'Acme (demo)', member: 'demo', password: DEMO_PASSWORD, kdf: 'fast' }, { context: { ...context, clock } });
  const sessions = new Map<string, Session>();
  try {
    const demo = await vault.unlock(undefined, DEMO_PASSWORD);
    sessions.set('demo', demo);
    for (const w of DEMO_WORKSPACES) addWorkspace(demo, w);
    for (const t of DEMO_TEAMS) addTeam(demo, t);
    for (const m of DEMO_MEMBERS) {
      addMember(demo, { name: m.name, role: m.role, password: DEMO_PASSWORD });
      for (const t of m.teams) addTeamMember(demo, t, m.name);
    }
    for (const m of DEMO_MEMBERS) sessions.set(m.name, await vault.unlock(m.name, DEMO_PASSWORD));
    // A throwaway file in a temp folder: its hundred days of commits need not each wait for the disk.
    demo.db.raw.pragma('synchronous = OFF');
    simulate(demo, sessions, new Draw(SEED), start, (t) => (now = t));
  } finally {
    now = end;
    for (const s of sessions.values()) s.lock();
    vault.close();
  }
  return { path, password: DEMO_PASSWORD };
}

/** Day by day: registrations, reads, a member scheduling a deletion, and the daily lifecycle pass. */
function simulate(demo: Session, sessions: Map<string, Session>, d: Draw, start: number, setNow: (t: number) => void): void {
  const dateIn = (days: number) => isoDay(start + (DAYS + days) * DAY_MS);
  const certificate = { type: 'certificate' as const, fields: { certificate: file('payments.pem', DEMO_CERT), privateKey: file('payments.key', DEMO_KEY) } };
  // The one certificate at every level: the organization's gateway, a workspace's staging copy, one member's own.
  const certificates: DemoSecret[] = [
    { input: { ...certificate, name: 'Payments mTLS', level: 'organization' }, day: 3, pattern: 'daily', consumers: [{ door: 'cli', how: 'run', detail: './payments-gateway' }], owner: 'demo' },
    { input: { ...certificate, name: 'Payments mTLS (staging)', level: 'workspace', workspace: 'Backend' }, day: 5, pattern: 'weekly', consumers: [{ door: 'cli', how: 'run', detail: './payments-gateway --staging' }], owner: 'demo' },
    { input: { ...certificate, name: 'Local TLS for testing', level: 'personal' }, day: 30, pattern: 'weekly', consumers: [{ door: 'cli', how: 'print' }], owner: 'demo' },
  ];
  const secrets = [...demoSecrets(d, DAYS, dateIn), ...certificates];
  const ids: (string | undefined)[] = [];
  const retireDays = secrets.map(() => DAYS - d.int(2, 12));
  for (let day = 0; day < DAYS; day++) {
    const morning = start + day * DAY_MS + 8 * 3_600_000;
    setNow(morning);
    if (day === 10) createCredential(demo, { name: 'ci-deploy', teams: ['CodeCrafters'] });
    if (day === 40) createAccount(demo, { name: 'billing-sync', role: 'member', expires: dateIn(12) });
    // A day's registrations and reads in one transaction, as the lifecycle pass below needs its own.
    demo.db.write(() => {
      secrets.forEach((secret, i) => {
        const session = sessions.get(secret.owner)!;
        if (secret.day === day) ids[i] = registerSecret(session, secret.input).id;
        if (!readOn(secret, i, day, retireDays[i]!)) return;
        setNow(morning + (i % 600) * 60_000);
        getSecretValue(session, { id: ids[i] }, { use: secret.consumers[(day + i) % secret.consumers.length]! });
      });
    });
    secrets.forEach((secret, i) => {
      if (secret.pattern === 'retired' && day === retireDays[i]) scheduleDeletion(sessions.get(secret.owner)!, { id: ids[i] }, 'DELETE');
    });
    setNow(morning + 12 * 3_600_000);
    sessionPass(demo);
  }
  // Someone used this vault all along: what came before the last week has been read.
  const lastWeek = start + (DAYS - 7) * DAY_MS;
  markNoticesRead(demo, listNotices(demo, { all: true }).filter((n) => n.createdAt < lastWeek).map((n) => n.id));
}
