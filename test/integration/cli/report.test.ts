import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { Member } from './run';
import { COFFER_BIN, PASSWORD, alongside, cleanEnv, coffer, errorLine, initVault, ok, step, useTempDirs } from './run';

/** Every value the vault holds: none may appear in any format of the report. */
const VALUES = {
  personal: 'report-personal-VALUE-9f2a',
  workspace: 'report-bearer-VALUE-77c1',
  clientSecret: 'report-client-SECRET-3b8e',
  kv: 'report-kv-VALUE-51d0',
  team: 'report-team-VALUE-c4e9',
  scheduled: 'report-scheduled-VALUE-0aa7',
};

interface Listed {
  id: string;
  name: string;
  type: string;
  level: string;
  workspace: string | null;
  availability: string;
  created: string;
  expires: string | null;
  status: string;
  lastUsed: string | null;
}

interface ReportJson {
  organization: string;
  member: string;
  summary: { total: number; counts: { status: Record<string, number> }; attention: { scheduled: { items: { name: string }[] } } };
  secrets: (Listed & { usedBy: string[]; readers: string[]; teams: string[] })[];
}

describe('coffer report', alongside, () => {
  const tmp = useTempDirs();
  let alice: Member;
  let dir: string;
  const listing = async () => JSON.parse(await ok(alice(['--json', 'secret', 'list']))) as Listed[];

  beforeAll(async () => {
    dir = tmp();
    alice = await initVault(join(dir, 'v.coffer'));
    await ok(alice(['workspace', 'add', 'Backend']));
    await ok(alice(['team', 'add', 'SRE']));
    await ok(alice(['secret', 'add', 'api-key', 'stripe-key', '--header', 'X-Key', '--value-stdin', '--expires', '2027-01-15'], VALUES.personal));
    await ok(alice(['secret', 'add', 'bearer-token', 'gateway-token', '--level', 'workspace', '--workspace', 'Backend', '--header', 'Authorization', '--value-stdin'], VALUES.workspace));
    await ok(alice(['secret', 'add', 'client-credentials', 'oauth-client', '--level', 'organization', '--client-id', 'client-1', '--url', 'https://auth.example.com/token', '--value-stdin'], VALUES.clientSecret));
    await ok(alice(['secret', 'add', 'key-value', 'backend-env', '--level', 'workspace', '--workspace', 'Backend', '--kv', 'DB_PASSWORD'], VALUES.kv));
    await ok(alice(['secret', 'add', 'api-key', 'sre-pager', '--level', 'organization', '--teams', 'SRE', '--header', 'X-Key', '--value-stdin'], VALUES.team));
    await ok(alice(['secret', 'add', 'api-key', 'old-key', '--header', 'X-Key', '--value-stdin'], VALUES.scheduled));
    await ok(alice(['secret', 'get', 'gateway-token', '--consumer', 'deploy-job']));
    await ok(alice(['secret', 'schedule-delete', 'old-key', '--confirm', 'DELETE']));
  });

  step('json lists every secret with the status and dates `secret list --json` shows, and who can read it', async () => {
    const listed = await listing();
    const report = JSON.parse(await ok(alice(['report', '--format', 'json']))) as ReportJson;
    expect(report).toMatchObject({ organization: 'Acme', member: 'alice', summary: { total: 6, counts: { status: { active: 5, inactive: 0, scheduled: 1 } } } });
    const pick = (s: Listed) => ({ id: s.id, name: s.name, type: s.type, level: s.level, workspace: s.workspace, availability: s.availability, created: s.created, expires: s.expires, status: s.status, lastUsed: s.lastUsed });
    expect(report.secrets.map(pick).sort((a, b) => a.name.localeCompare(b.name))).toEqual(listed.map(pick).sort((a, b) => a.name.localeCompare(b.name)));
    const row = (name: string) => report.secrets.find((s) => s.name === name)!;
    expect(row('gateway-token')).toMatchObject({ usedBy: ['alice · CLI · secret get (deploy-job)'], readers: ['Workspace Backend'] });
    expect(row('sre-pager')).toMatchObject({ teams: ['SRE'], readers: ['Team SRE'], usedBy: [] });
    expect(row('stripe-key')).toMatchObject({ expires: '2027-01-15T00:00:00.000Z', readers: ['Personal (alice)'] });
    expect(report.summary.attention.scheduled.items.map((i) => i.name)).toEqual(['old-key']);
    // --json alone asks for the JSON format.
    expect(JSON.parse(await ok(alice(['--json', 'report']))).secrets).toHaveLength(6);
  });

  step('md and html carry every secret, the sections and the charts, self-contained', async () => {
    const md = await ok(alice(['report', '--format', 'md']));
    const html = await ok(alice(['report', '--format', 'html']));
    for (const name of ['stripe-key', 'gateway-token', 'oauth-client', 'backend-env', 'sre-pager', 'old-key']) {
      expect(md).toContain(`| ${name} |`);
      expect(html).toContain(`<td>${name}</td>`);
    }
    for (const heading of ['## Totals (6 secrets)', '## Needs attention', '### Scheduled for deletion (1)', '## Reads per consumer in the last 90 days', '## All secrets (6)']) expect(md).toContain(heading);
    expect(md).toContain('| alice · CLI · secret get (deploy-job) | 1 |');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('@media print');
    expect(html).toContain('prefers-color-scheme: dark');
    expect(html).toContain("default-src 'none'");
    // Nothing is fetched: no external reference of any kind.
    expect(html).not.toMatch(/\b(src|href)=|url\(|@import/);
  });

  step('no format holds a value, and a report is not a use', async () => {
    const before = await listing();
    const usage = await ok(alice(['--json', 'secret', 'usage', 'gateway-token']));
    const outputs = await Promise.all(['json', 'md', 'html'].map((f) => ok(alice(['report', '--format', f]))));
    for (const text of outputs) for (const v of Object.values(VALUES)) expect(text).not.toContain(v);
    expect(await listing()).toEqual(before);
    expect(await ok(alice(['--json', 'secret', 'usage', 'gateway-token']))).toBe(usage);
  });

  step('--out writes an owner-only file and refuses to replace one without --force', async () => {
    const out = join(dir, 'review.html');
    expect(await ok(alice(['report', '--format', 'html', '--out', out]))).toBe(`Wrote the html report of 6 secret(s) to ${out}.\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);

    const again = await alice(['report', '--format', 'md', '--out', out]);
    expect(again.code).toBe(6);
    expect(errorLine(again.stderr)).toMatchObject({ code: 'CONFLICT', field: 'out' });
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);

    expect(JSON.parse(await ok(alice(['--json', 'report', '--format', 'md', '--out', out, '--force'])))).toEqual({ out, format: 'md', secrets: 6 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Coffer review: Acme/);
  });

  step('a pipeline credential reports what its teams may read, without a password', async () => {
    const created = JSON.parse(await ok(alice(['--json', 'credential', 'create', 'ci', '--teams', 'SRE']))) as { clientId: string; clientSecret: string };
    const env = { COFFER_VAULT: alice.vault, COFFER_CLIENT_ID: created.clientId, COFFER_CLIENT_SECRET: created.clientSecret, XDG_DATA_HOME: join(dir, 'data') };
    const report = JSON.parse(await ok(coffer(['report', '--format', 'json'], { env }))) as ReportJson & { summary: { attention: { credentials: unknown } } };
    expect(report.member).toBe('credential:ci');
    expect(report.secrets.map((s) => s.name)).toEqual(['sre-pager']);
    expect(report.summary.attention.credentials).toBeNull();
  });

  step('piped into a reader that leaves before it is written, it ends quietly', () => {
    // A real pipe whose reader has left before the report is written: the write meets EPIPE.
    const script = `printf '%s\\n' "$PW" | "${process.execPath}" "${COFFER_BIN}" --vault "${alice.vault}" --password-stdin report --format html 2>"$ERR" | true; cat "$ERR"`;
    const stderr = execFileSync('sh', ['-c', script], { env: cleanEnv({ PW: PASSWORD, ERR: join(dir, 'epipe-stderr.txt') }), encoding: 'utf8' });
    expect(stderr).toBe('');
  });

  step('a wrong format or --force without --out is a usage error naming the flag', async () => {
    const bad = await alice(['report', '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(errorLine(bad.stderr)).toMatchObject({ code: 'VALIDATION', field: 'format' });
    const force = await alice(['report', '--force']);
    expect(force.code).toBe(2);
    expect(errorLine(force.stderr)).toMatchObject({ code: 'VALIDATION', field: 'force' });
  });
});
