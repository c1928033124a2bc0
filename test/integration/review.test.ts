import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { dispatch } from '../../electron/core/handlers';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { DAY_MS, dayStart, isoDay } from '../../electron/core/lifecycle/clock';
import { sessionPass } from '../../electron/core/lifecycle/passes';
import type { ReportFormat } from '../../electron/core/review/formats';
import { reportParts } from '../../electron/core/review/formats';
import { reviewReport } from '../../electron/core/review/report';
import { reviewSummary } from '../../electron/core/review/summary';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import type { UseVia } from '../../electron/core/secrets/usage';
import { registerSecret } from '../../electron/core/secrets/registration';
import { createAccount } from '../../electron/core/vault/accounts';
import { createCredential } from '../../electron/core/vault/credentials';
import { addMember } from '../../electron/core/vault/members';
import type { Session } from '../../electron/core/vault/session';
import { addTeam, addWorkspace } from '../../electron/core/vault/structure';
import { contract } from '../../shared/ipc';
import { reviewReport as reportSchema } from '../../shared/schemas/review';
import { AVAILABILITIES, LEVELS, SECRET_TYPES, STATUSES } from '../../shared/schemas/secrets';
import type { RegisterSecretInput, SecretSummary } from '../../shared/schemas/secrets';
import { selfSigned } from '../../scripts/self-signed';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

const START = Date.parse('2027-03-01T09:00:00Z');
const on = (day: number) => START + day * DAY_MS;
const apiKey = (name: string, value: string, extra: { level?: 'organization'; teams?: string[]; expires?: string } = {}): RegisterSecretInput => ({
  type: 'api-key',
  name,
  fields: { headerName: 'X-Key', value },
  ...extra,
});

/** Every secret value the vault holds, to look for in what the review returns. */
const VALUES = ['p-never-VALUE-1', 'p-used-VALUE-2', 'w-creds-SECRET-3', 'w-env-VALUE-4', 'o-key-VALUE-5', 'o-team-VALUE-6', 'p-sched-VALUE-7'];

/**
 * Eight secrets of every type, level and availability, a service credential and a service account,
 * lived through 35 days: uses on days 10 and 20, a deletion scheduled on day 25, daily passes
 * from day 26 (the never-used ones turn Inactive on day 30).
 */
async function reviewedVault(dir: string) {
  const clock = fakeClock(START);
  const { vault, session } = await newVault(dir, { context: { clock } });
  addWorkspace(session, 'Backend');
  addTeam(session, 'SRE');
  const cert = await selfSigned({ subject: 'CN=review.example', notBefore: new Date(START - DAY_MS), notAfter: new Date(on(45)) });
  const inputs: RegisterSecretInput[] = [
    apiKey('p-never', VALUES[0]!),
    { type: 'bearer-token', name: 'p-used', fields: { headerName: 'Authorization', headerValue: VALUES[1]! }, expires: isoDay(on(50)) },
    { type: 'client-credentials', name: 'w-creds', level: 'workspace', workspace: 'Backend', fields: { clientId: 'client-id', url: 'https://auth.example.com/token', clientSecret: VALUES[2]! }, expires: isoDay(on(40)) },
    { type: 'key-value', name: 'w-env', level: 'workspace', workspace: 'Backend', fields: { pairs: [{ key: 'DB_PASSWORD', value: VALUES[3]! }] } },
    apiKey('o-key', VALUES[4]!, { level: 'organization', expires: isoDay(on(200)) }),
    apiKey('o-team', VALUES[5]!, { level: 'organization', teams: ['SRE'] }),
    { type: 'certificate', name: 'o-cert', level: 'organization', fields: { certificate: { fileName: 'site.pem', base64: Buffer.from(cert.pem).toString('base64') } } },
    apiKey('p-sched', VALUES[6]!),
  ];
  for (const input of inputs) registerSecret(session, input);
  createCredential(session, { name: 'ci', teams: ['SRE'] });
  createAccount(session, { name: 'deployer', role: 'member', expires: isoDay(on(50)) });
  const use = (day: number, name: string, via: UseVia) => {
    clock.set(on(day));
    getSecretValue(session, { name }, { use: via });
  };
  use(10, 'p-used', { door: 'cli', how: 'print' });
  use(10, 'o-team', { door: 'cli', how: 'run', detail: 'deploy' });
  use(20, 'p-used', { door: 'desktop', how: 'copy' });
  use(20, 'w-env', { door: 'cli', how: 'print' });
  clock.set(on(25));
  scheduleDeletion(session, { name: 'p-sched' }, 'DELETE');
  for (let day = 26; day <= 35; day++) {
    clock.set(on(day));
    sessionPass(session);
  }
  return { vault, session, clock };
}

/** A report's text whole, as the app's outbox and `--out` write it part by part. */
const renderReport = (format: ReportFormat, r: ReturnType<typeof reviewReport>): string => [...reportParts(format, r)].join('');

const everything = (s: Session): SecretSummary[] => listSecrets(s, { limit: 10_000 }).items;
const tally = <K extends string>(keys: readonly K[], items: SecretSummary[], of: (i: SecretSummary) => K) =>
  Object.fromEntries(keys.map((k) => [k, items.filter((i) => of(i) === k).length]));
const names = (items: { name: string }[]) => items.map((i) => i.name);
const usageRows = (s: Session) => s.db.value<number>('SELECT count(*) FROM usage');

describe('the review figures', () => {
  const tmp = useTempDir();

  it('equal what the listing shows, counted independently', async () => {
    const { session } = await reviewedVault(tmp());
    const r = reviewSummary(session);
    const listing = everything(session);
    const today = dayStart(isoDay(on(35)));
    const daysTo = (at: number) => Math.floor((at - today) / DAY_MS);

    expect(r.total).toBe(listing.length);
    expect(r.counts.status).toEqual(tally(STATUSES, listing, (i) => i.status));
    expect(r.counts.type).toEqual(tally(SECRET_TYPES, listing, (i) => i.type));
    expect(r.counts.level).toEqual(tally(LEVELS, listing, (i) => i.level));
    expect(r.counts.availability).toEqual(tally(AVAILABILITIES, listing, (i) => i.availability));

    const by = (key: (i: SecretSummary) => number) => (a: SecretSummary, b: SecretSummary) => key(a) - key(b);
    const expiring = listing.filter((i) => i.expires !== null && daysTo(i.expires) <= 30).sort(by((i) => i.expires!));
    expect(names(r.attention.expiring.items)).toEqual(names(expiring));
    // The certificate's expiry is its notAfter: it is in the list like any other.
    expect(names(expiring).sort()).toEqual(['o-cert', 'p-used', 'w-creds']);
    expect(r.attention.expiring.items.map((i) => i.daysLeft)).toEqual(expiring.map((i) => daysTo(i.expires!)));

    const inactive = listing.filter((i) => i.status === 'inactive').sort(by((i) => i.deletion!));
    expect(names(r.attention.inactive.items)).toEqual(names(inactive));
    expect(names(inactive).sort()).toEqual(['o-cert', 'o-key', 'p-never', 'w-creds']);
    const scheduled = listing.filter((i) => i.status === 'scheduled');
    expect(r.attention.scheduled.items.map((i) => [i.name, i.daysLeft])).toEqual(scheduled.map((i) => [i.name, daysTo(i.deletion!)]));
    expect(r.attention.scheduled.items).toMatchObject([{ name: 'p-sched', daysLeft: 20 }]);
    const neverUsed = listing.filter((i) => i.lastUsed === null).sort(by((i) => i.created));
    expect(names(r.attention.neverUsed.items)).toEqual(names(neverUsed));

    expect(r.attention.credentials).toMatchObject([{ name: 'ci', lastUsed: null }]);
    expect(r.attention.accountKeys).toMatchObject([{ account: 'deployer', unused: true, expiring: true, expires: dayStart(isoDay(on(50))) }]);

    // Series: one count per day ahead, what the listing's dates say.
    const ahead = r.series.ahead;
    expect(ahead.from).toBe(isoDay(on(35)));
    const inWindow = (at: number | null) => at !== null && daysTo(at) >= 0 && daysTo(at) < 90;
    expect(ahead.expirations.reduce((a, b) => a + b)).toBe(listing.filter((i) => inWindow(i.expires)).length);
    expect(ahead.deletions.reduce((a, b) => a + b)).toBe(listing.filter((i) => inWindow(i.deletion)).length);
    expect(ahead.deletions[20]).toBe(1); // p-sched, scheduled on day 25 for day 55
    expect(ahead.expirations[daysTo(dayStart(isoDay(on(40))))]).toBe(1); // w-creds

    const reads = Object.fromEntries(r.series.reads.consumers.map((c) => [c.consumer, c.total]));
    // Reads group by who and door (and the command of a run), not by reveal or copy.
    expect(reads).toEqual({ 'alice · CLI': 2, 'alice · desktop app': 1, 'alice · CLI · run (deploy)': 1 });
    const cli = r.series.reads.consumers.find((c) => c.consumer === 'alice · CLI')!;
    expect(cli.perDay).toHaveLength(90);
    expect(cli.perDay[89 - 15]).toBe(1); // day 20 is 15 days before today, the series' last day
  });

  it('lists the most urgent first up to the limit and counts the rest', async () => {
    const { session } = await reviewedVault(tmp());
    const r = reviewSummary(session, { limit: 1 });
    expect(r.attention.inactive.total).toBe(4);
    expect(r.attention.inactive.items).toHaveLength(1);
    expect(r.attention.expiring.items[0]!.name).toBe('w-creds');
    expect(() => reviewSummary(session, { limit: -1 })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'limit' }));
  });

  it('holds no value, and reading it for a report records no use', async () => {
    const { session } = await reviewedVault(tmp());
    const before = usageRows(session);
    const listed = everything(session);
    const report = reviewReport(session);
    expect(usageRows(session)).toBe(before);
    expect(everything(session).map((i) => [i.name, i.status, i.lastUsed])).toEqual(listed.map((i) => [i.name, i.status, i.lastUsed]));
    const text = JSON.stringify(report);
    for (const v of VALUES) expect(text).not.toContain(v);

    expect(names(report.secrets)).toEqual(names(listed));
    const row = (name: string) => report.secrets.find((s) => s.name === name)!;
    expect(row('p-used')).toMatchObject({ usedBy: ['alice · CLI', 'alice · desktop app'], readers: ['Personal (alice)'] });
    expect(row('o-team')).toMatchObject({ availability: 'teams', teams: ['SRE'], usedBy: ['alice · CLI · run (deploy)'], readers: ['Team SRE'] });
    expect(row('w-env').readers).toEqual(['Workspace Backend']);
    expect(row('o-key')).toMatchObject({ readers: ['Organization'], usedBy: [] });
  });

  it('renders a hostile name as text in HTML and Markdown, and every time as ISO 8601 in JSON', async () => {
    const { session } = await reviewedVault(tmp());
    const hostile = '<img src=x onerror=alert(1)>|*bold*';
    registerSecret(session, apiKey(hostile, 'hostile-VALUE-8'));
    const report = reviewReport(session);
    const html = renderReport('html', report);
    expect(html).not.toContain('<img');
    expect(html).toContain('<td>&lt;img src=x onerror=alert(1)&gt;|*bold*</td>');
    expect(renderReport('md', report)).toContain('| \\<img src=x onerror=alert(1)\\>\\|\\*bold\\* |');
    const json = JSON.parse(renderReport('json', report)) as { summary: { at: string }; secrets: { name: string; created: string; expires: string | null }[] };
    expect(json.summary.at).toBe(new Date(on(35)).toISOString());
    expect(json.secrets.find((s) => s.name === 'p-used')).toMatchObject({ created: new Date(START).toISOString(), expires: new Date(dayStart(isoDay(on(50)))).toISOString() });
  });

  it('writes the JSON secret by secret as the same text one JSON.stringify of the report makes, with secrets and without', async () => {
    const { session } = await reviewedVault(tmp());
    const report = reviewReport(session);
    expect(report.secrets.length).toBeGreaterThan(1);
    for (const r of [report, { ...report, secrets: [] }]) {
      const text = renderReport('json', r);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect((JSON.parse(text) as { secrets: unknown[] }).secrets).toHaveLength(r.secrets.length);
    }
  });

  it('reaches the app over the review.summary channel, its output as the contract declares it', async () => {
    const { vault } = await reviewedVault(tmp());
    const app = new CofferApp({ vaultPath: vault.path, door: 'desktop' });
    try {
      await app.unlock('alice', PASSWORD);
      const r = await dispatch(app, 'review.summary', { limit: 2 });
      if (!r.ok) throw new Error(r.error.message);
      const figures = contract['review.summary'].output.parse(r.value);
      expect(figures.total).toBe(8);
      expect(figures.attention.inactive.items).toHaveLength(2);
      expect(await dispatch(app, 'review.summary', { limit: 'all' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'limit' } });
      expect(() => reportSchema.parse(reviewReport(app.session()))).not.toThrow();

      // "Export review report": the file waits in the outbox, owner-only, for the door to deliver it once.
      const file = await dispatch(app, 'review.report', { format: 'html' });
      if (!file.ok) throw new Error(file.error.message);
      const value = contract['review.report'].output.parse(file.value);
      expect(value).toMatchObject({ format: 'html', secrets: 8, savedTo: null });
      expect(value.fileName).toMatch(/^[a-z0-9-]+-review-\d{4}-\d{2}-\d{2}\.html$/);
      const waiting = app.outbox.take(value.downloadId!)!;
      expect(statSync(waiting.path).mode & 0o777).toBe(0o600);
      expect(readFileSync(waiting.path, 'utf8')).toMatch(/^<!doctype html>/);
      expect(readFileSync(waiting.path).length).toBe(value.bytes);
      expect(await dispatch(app, 'review.report', { format: 'pdf' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'format' } });
    } finally {
      app.close();
    }
  });

  it('shows a member only what they may read, and no credentials or keys without the right to manage them', async () => {
    const { vault, session } = await reviewedVault(tmp());
    addMember(session, { name: 'carol', role: 'member', password: 'carol password' });
    const carol = await vault.unlock('carol', 'carol password');
    const r = reviewSummary(carol);
    const listing = everything(carol);
    expect(r.total).toBe(listing.length);
    expect(r.counts.status).toEqual(tally(STATUSES, listing, (i) => i.status));
    expect(names(listing)).not.toContain('p-used');
    expect(names(listing)).not.toContain('o-team');
    expect(r.attention.credentials).toBeNull();
    expect(r.attention.accountKeys).toBeNull();
    // alice's uses of her personal secret are hers: carol's chart counts w-env's only.
    expect(r.series.reads.consumers.map((c) => [c.consumer, c.total])).toEqual([['alice · CLI', 1]]);
  });
});
