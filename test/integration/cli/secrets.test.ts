import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { registerSecret } from '../../../electron/core/secrets/registration';
import { addTeam, addWorkspace } from '../../../electron/core/vault/structure';
import type { Member } from './run';
import { alongside, errorLine, inParallel, ok, step, useTempDirs } from './run';
import { seededVault } from './seeded';
import { readTable } from './table';
import { writeCertFiles } from '../../support/certs';

/** docs/cli.md "Commands": add, list, show, get, edit, history, restore, usage through the built binary. */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const today = () => new Date().toISOString().slice(0, 10);

interface Listed {
  id: string;
  name: string;
  type: string;
  level: string;
  workspace: string | null;
  availability: string;
  teams?: string[];
  created: string;
  expires: string | null;
  status: string;
  lastUsed: string | null;
}

const listJson = async (who: Member, ...args: string[]): Promise<Listed[]> => JSON.parse(await ok(who(['secret', 'list', '--json', ...args]))) as Listed[];
const names = async (who: Member, ...args: string[]): Promise<string[]> => (await listJson(who, ...args)).map((s) => s.name);

interface Revision {
  revision: number;
  created: string;
  author: string | null;
  changed: string[];
  current: boolean;
}
const historyOf = async (who: Member, name: string): Promise<Revision[]> => JSON.parse(await ok(who(['secret', 'history', name, '--json']))) as Revision[];
const usageOf = async (who: Member, name: string) =>
  JSON.parse(await ok(who(['secret', 'usage', name, '--json']))) as { lastUsed: string | null; entries: { consumer: string; who: string | null; door: string | null; how: string | null; detail: string | null; at: string }[] };

describe('secret get prints only the value, for each type', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;
  /** Every value registered here: none may show anywhere but `secret get`. */
  const values = {
    api: 'sk_live_api_0001',
    bearer: 'bearer-token-0002',
    client: 'client-secret-0003',
    dbUser: 'kv-user-0004',
    dbPass: 'kv-pass-0005',
    argv: 'kv-argv-0006',
    env: 'kv-env-0007',
    json: 'kv-json-0008',
  };
  let keyPem = '';
  let certPem = '';

  beforeAll(async () => {
    dir = tempDir();
    alice = await seededVault(join(dir, 'vault.coffer'));
    await writeCertFiles(dir);
    keyPem = createPrivateKey(readFileSync(join(dir, 'k.key'))).export({ format: 'pem', type: 'pkcs8' }).toString();
    certPem = new X509Certificate(readFileSync(join(dir, 'c.pem'))).toString();
    await ok(alice(['secret', 'add', 'api-key', 'api', '--header', 'X-Api-Key', '--value-stdin'], values.api));
    await ok(alice(['secret', 'add', 'bearer-token', 'bearer', '--header', 'Authorization', '--value-stdin'], values.bearer));
    await ok(alice(['secret', 'add', 'client-credentials', 'client', '--client-id', 'my-app', '--url', 'https://auth.example.com/oauth/token', '--value-stdin'], values.client));
    await ok(alice(['secret', 'add', 'certificate', 'tls', '--cert', join(dir, 'c.pem'), '--key', join(dir, 'k.key')]));
    await ok(alice(['secret', 'add', 'key-value', 'kv-stdin', '--kv', 'DB_USER', '--kv', 'DB_PASS'], values.dbUser, values.dbPass));
  });

  const get = async (...args: string[]) => {
    const r = await alice(['secret', 'get', ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout;
  };

  step('api-key: the Value', async () => {
    expect(await get('api')).toBe(`${values.api}\n`);
  });

  step('bearer-token: the Header Value', async () => {
    expect(await get('bearer')).toBe(`${values.bearer}\n`);
  });

  step('client-credentials: the Client Secret, or a named field', async () => {
    expect(await get('client')).toBe(`${values.client}\n`);
    expect(await get('client', '--field', 'url')).toBe('https://auth.example.com/oauth/token\n');
  });

  step('certificate: the certificate, and the private key with --field privateKey', async () => {
    expect(await get('tls')).toBe(`${certPem}\n`);
    expect(await get('tls', '--field', 'privateKey')).toBe(`${keyPem}\n`);
    // The Expiration Date is read from the certificate.
    const listed = (await listJson(alice)).find((s) => s.name === 'tls')!;
    expect(Date.parse(listed.expires!)).toBe(new Date(new X509Certificate(certPem).validTo).getTime());
  });

  step('key-value from repeated --kv KEY, values on the following stdin lines', async () => {
    expect(await get('kv-stdin', '--field', 'DB_PASS')).toBe(`${values.dbPass}\n`);
    // Without --field, the whole set as .env lines.
    expect(await get('kv-stdin')).toBe(`DB_USER=${values.dbUser}\nDB_PASS=${values.dbPass}\n`);
  });

  step('key-value from --kv KEY=VALUE, with a warning that argv is visible', async () => {
    const r = await alice(['secret', 'add', 'key-value', 'kv-argv', '--kv', `TOKEN=${values.argv}`, '--kv', 'REGION=eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^coffer: warning: .*visible to other processes.*\n$/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stdout).not.toContain(values.argv);
    expect(await get('kv-argv')).toBe(`TOKEN=${values.argv}\nREGION=eu-west-1\n`);
  });

  step('key-value from a .env file', async () => {
    const file = join(dir, 'app.env');
    writeFileSync(file, `# settings\nexport API_TOKEN=${values.env}\n\nGREETING="hello world"\nPLAIN=x # comment\n`);
    const r = await alice(['secret', 'add', 'key-value', 'kv-env', '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // export, quotes, blank lines and comments are read as dotenv does.
    expect(await get('kv-env')).toBe(`API_TOKEN=${values.env}\nGREETING="hello world"\nPLAIN=x\n`);
    expect(await get('kv-env', '--field', 'GREETING')).toBe('hello world\n');
  });

  step('key-value from a .json file', async () => {
    const file = join(dir, 'app.json');
    writeFileSync(file, JSON.stringify({ API_KEY: values.json, PORT: 8080, DEBUG: true }));
    await ok(alice(['secret', 'add', 'key-value', 'kv-json', '--file', file]));
    expect(await get('kv-json', '--field', 'PORT')).toBe('8080\n');
    expect(await get('kv-json')).toBe(`API_KEY=${values.json}\nPORT=8080\nDEBUG=true\n`);
  });

  step('flags of another type are a usage error', async () => {
    const r = await alice(['secret', 'add', 'key-value', 'mixed', '--kv', 'A', '--header', 'X-Key'], 'a');
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr).message).toContain('--header');
  });

  step('no value appears in list, show, history, usage or info', async () => {
    await ok(alice(['secret', 'get', 'api', '--consumer', 'deploy-bot']));
    await ok(alice(['secret', 'edit', 'api', '--value-stdin'], 'sk_live_api_0009'));
    const secretNames = ['api', 'bearer', 'client', 'tls', 'kv-stdin', 'kv-argv', 'kv-env', 'kv-json'];
    // Both formats of list, info, history and usage; show of every type, as JSON (its fields) and as text.
    const commands: string[][] = [];
    for (const json of [[], ['--json']]) {
      commands.push([...json, 'secret', 'list'], [...json, 'info'], [...json, 'secret', 'history', 'api'], [...json, 'secret', 'usage', 'api']);
      for (const name of json.length ? secretNames : ['client', 'tls', 'kv-stdin']) commands.push([...json, 'secret', 'show', name]);
    }
    commands.push(['secret', 'history', 'tls'], ['secret', 'usage', 'tls']);
    const results = await inParallel(commands.map((args) => () => alice(args)));
    results.forEach((r, i) => expect({ args: commands[i], code: r.code }).toEqual({ args: commands[i], code: 0 }));
    const outputs = results.flatMap((r) => [r.stdout, r.stderr]);
    const everything = outputs.join('\n');
    expect(everything).toContain('deploy-bot');
    const known = [...Object.values(values), 'sk_live_api_0009'];
    for (const v of known) expect(everything, v).not.toContain(v);
    // Nor the private key, whole or any line of it. A PKCS#8 EC key ends with its public key, which the
    // certificate shown by `show` carries too: a line made only of that is public, whatever the key.
    const certBody = certPem.replace(/-----[^-]+-----|\n/g, '');
    const privateLines = keyPem.split('\n').filter((l) => l && !l.startsWith('-----') && !certBody.includes(l));
    expect(privateLines.length).toBeGreaterThan(0);
    for (const line of privateLines) expect(everything).not.toContain(line);
    // show names the fields and masks the secret ones.
    const show = await ok(alice(['secret', 'show', 'client']));
    expect(show).toMatch(/^Client ID\s+my-app$/m);
    expect(show).toMatch(/^Client Secret\s+•+$/m);
    const showJson = JSON.parse(await ok(alice(['secret', 'show', 'kv-stdin', '--json']))) as { fields: { key: string; value: string | null }[] };
    expect(showJson.fields.map((f) => [f.key, f.value])).toEqual([
      ['DB_USER', null],
      ['DB_PASS', null],
    ]);
  }, 60_000);
});

describe('secret list', alongside, () => {
  const tempDir = useTempDirs();
  let alice: Member;
  const COLUMNS = ['NAME', 'TYPE', 'AVAILABILITY', 'CREATED', 'EXPIRES', 'STATUS', 'LAST USED'];

  // Set up in this process: this block tests the listing (the adds with these flags have their
  // tests in the other blocks and in vault.test.ts).
  beforeAll(async () => {
    alice = await seededVault(join(tempDir(), 'vault.coffer'), (s) => {
      addWorkspace(s, 'Backend');
      addWorkspace(s, 'Frontend');
      addTeam(s, 'ops');
      registerSecret(s, { type: 'api-key', name: 'stripe live', expires: '2027-03-01', fields: { headerName: 'Authorization', value: 'v-stripe' } });
      registerSecret(s, { type: 'bearer-token', name: 'github-token', fields: { headerName: 'Authorization', headerValue: 'v-github' } });
      registerSecret(s, { type: 'key-value', name: 'backend-env', level: 'workspace', workspace: 'Backend', expires: '2027-01-15', fields: { pairs: [{ key: 'A', value: 'v-backend' }] } });
      registerSecret(s, { type: 'api-key', name: 'maps-key', level: 'workspace', workspace: 'Frontend', expires: '2028-06-30', fields: { headerName: 'X-Maps', value: 'v-maps' } });
      registerSecret(s, {
        type: 'client-credentials',
        name: 'auth0',
        level: 'organization',
        expires: '2026-12-31',
        fields: { clientId: 'app', url: 'https://acme.auth0.com/oauth/token', clientSecret: 'v-auth0' },
      });
      registerSecret(s, { type: 'api-key', name: 'pagerduty', level: 'organization', teams: ['ops'], fields: { headerName: 'X-PD', value: 'v-pd' } });
    });
  });

  step('--json is an array of summaries with exactly the contract keys and ISO 8601 dates', async () => {
    const list = await listJson(alice);
    expect(list.map((s) => s.name)).toEqual(['auth0', 'backend-env', 'github-token', 'maps-key', 'pagerduty', 'stripe live']);
    const keys = ['id', 'name', 'type', 'level', 'workspace', 'availability', 'created', 'expires', 'status', 'lastUsed'];
    for (const s of list) {
      const own = Object.keys(s).filter((k) => k !== 'teams');
      expect(own.sort()).toEqual([...keys].sort());
      expect(s.created).toMatch(ISO);
      expect(Math.abs(Date.parse(s.created) - Date.now())).toBeLessThan(10 * 60_000);
      if (s.expires !== null) expect(s.expires).toMatch(ISO);
      expect(s.lastUsed).toBeNull();
      expect(['active', 'inactive', 'scheduled']).toContain(s.status);
      expect(s.status).toBe('active');
      expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const by = Object.fromEntries(list.map((s) => [s.name, s]));
    expect(by['stripe live']).toMatchObject({ type: 'api-key', level: 'personal', workspace: null, availability: 'personal', expires: '2027-03-01T00:00:00.000Z' });
    expect(by['github-token']).toMatchObject({ type: 'bearer-token', expires: null });
    expect(by['backend-env']).toMatchObject({ type: 'key-value', level: 'workspace', workspace: 'Backend', availability: 'workspace' });
    expect(by['auth0']).toMatchObject({ type: 'client-credentials', level: 'organization', workspace: null, availability: 'entire-organization' });
    expect(by['pagerduty']).toMatchObject({ level: 'organization', availability: 'teams', teams: ['ops'] });
  });

  step('the table is aligned with a header row and dates as YYYY-MM-DD', async () => {
    const r = await alice(['secret', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME +TYPE +AVAILABILITY +CREATED +EXPIRES +STATUS +LAST USED$/);
    const rows = readTable(r.stdout, COLUMNS);
    expect(rows.map((row) => row.NAME)).toEqual(['auth0', 'backend-env', 'github-token', 'maps-key', 'pagerduty', 'stripe live']);
    for (const row of rows) {
      expect(row.CREATED).toBe(today());
      expect(row.EXPIRES).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
      expect(row.STATUS).toBe('Active');
      expect(row['LAST USED']).toBe('');
    }
    const by = Object.fromEntries(rows.map((row) => [row.NAME, row]));
    expect(by['stripe live']).toMatchObject({ TYPE: 'API Key', AVAILABILITY: 'Personal', EXPIRES: '2027-03-01' });
    expect(by['github-token']).toMatchObject({ TYPE: 'Bearer Token (OAuth)', EXPIRES: '' });
    expect(by['backend-env']).toMatchObject({ TYPE: 'Key/Value', AVAILABILITY: 'Workspace: Backend', EXPIRES: '2027-01-15' });
    expect(by['auth0']).toMatchObject({ TYPE: 'Client Credentials', AVAILABILITY: 'Entire organization', EXPIRES: '2026-12-31' });
    expect(by['pagerduty']).toMatchObject({ AVAILABILITY: 'Teams: ops' });
    expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  step('--search matches names, case-insensitively, and says how many of all matched', async () => {
    expect(await names(alice, '--search', 'KEY')).toEqual(['maps-key']);
    expect(await names(alice, '--search', 'en')).toEqual(['backend-env', 'github-token']);
    const table = await ok(alice(['secret', 'list', '--search', 'en']));
    expect(readTable(table, COLUMNS).map((row) => row.NAME)).toEqual(['backend-env', 'github-token']);
    expect(table).toContain('2 of 6 secrets');
    expect(await ok(alice(['secret', 'list', '--search', 'nothing-like-this']))).toContain('No secret matches (of 6)');
  });

  step('--type, --level, --workspace and --status filter', async () => {
    const cases: [string[], string[]][] = [
      [['--type', 'api-key'], ['maps-key', 'pagerduty', 'stripe live']],
      [['--level', 'organization'], ['auth0', 'pagerduty']],
      [['--level', 'workspace'], ['backend-env', 'maps-key']],
      [['--level', 'personal'], ['github-token', 'stripe live']],
      [['--workspace', 'Backend'], ['backend-env']],
      [['--level', 'workspace', '--workspace', 'Frontend', '--type', 'api-key'], ['maps-key']],
      [['--status', 'active'], ['auth0', 'backend-env', 'github-token', 'maps-key', 'pagerduty', 'stripe live']],
      [['--status', 'scheduled'], []],
    ];
    const results = await inParallel(cases.map(([args]) => () => alice(['secret', 'list', '--json', ...args])));
    for (const [i, [args, expected]] of cases.entries()) {
      const got = (JSON.parse(await ok(results[i]!)) as Listed[]).map((s) => s.name);
      expect({ args, got }).toEqual({ args, got: expected });
    }
  });

  step('--sort expires, ascending and with --desc', async () => {
    const dated = ['auth0', 'backend-env', 'stripe live', 'maps-key'];
    const asc = await listJson(alice, '--sort', 'expires');
    expect(asc.map((s) => s.name).filter((n) => dated.includes(n))).toEqual(dated);
    const desc = await listJson(alice, '--sort', 'expires', '--desc');
    expect(desc.map((s) => s.name).filter((n) => dated.includes(n))).toEqual([...dated].reverse());
    // No Expiration Date counts as the latest: first when descending.
    const expiry = (s: Listed) => (s.expires === null ? Number.POSITIVE_INFINITY : Date.parse(s.expires));
    for (let i = 1; i < desc.length; i++) expect(expiry(desc[i - 1]!)).toBeGreaterThanOrEqual(expiry(desc[i]!));
    const table = readTable(await ok(alice(['secret', 'list', '--sort', 'expires', '--desc'])), COLUMNS);
    expect(table.map((row) => row.NAME)).toEqual(desc.map((s) => s.name));
    expect(table.map((row) => row.EXPIRES).filter(Boolean)).toEqual(['2028-06-30', '2027-03-01', '2027-01-15', '2026-12-31']);
  });

  step('--sort deletion: the soonest deletion first, the undated after', async () => {
    for (const name of ['maps-key', 'auth0']) await ok(alice(['secret', 'schedule-delete', name, '--confirm', 'DELETE']));
    const listed = await listJson(alice, '--sort', 'deletion');
    expect(listed.slice(0, 2).map((s) => s.name)).toEqual(['maps-key', 'auth0']);
    expect(listed.slice(2).every((s) => s.status === 'active')).toBe(true);
    expect((await listJson(alice, '--sort', 'deletion', '--desc')).slice(-2).map((s) => s.name)).toEqual(['auth0', 'maps-key']);
  });

  step('an empty vault says how to start', async () => {
    const empty = await seededVault(join(tempDir(), 'empty.coffer'));
    expect(await ok(empty(['secret', 'list']))).toBe('No secrets yet: coffer secret add TYPE NAME\n');
    expect(JSON.parse(await ok(empty(['secret', 'list', '--json'])))).toEqual([]);
  });
});

describe('secret edit, history and restore', alongside, () => {
  const tempDir = useTempDirs();
  let alice: Member;

  const history = (name: string) => historyOf(alice, name);

  beforeAll(async () => {
    alice = await seededVault(join(tempDir(), 'vault.coffer'));
    await ok(alice(['secret', 'add', 'api-key', 'rotating', '--header', 'X-Key', '--expires', '2027-05-01', '--value-stdin'], 'rot-v1'));
  });

  step('--value-stdin saves a new revision; history names the changed field', async () => {
    const r = await alice(['secret', 'edit', 'rotating', '--value-stdin'], 'rot-v2');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Saved "rotating" as revision 2.\n');
    expect(r.stdout + r.stderr).not.toContain('rot-v2');
    expect(await ok(alice(['secret', 'get', 'rotating']))).toBe('rot-v2\n');
    const h = await history('rotating');
    expect(h.map((x) => [x.revision, x.current, x.changed])).toEqual([
      [2, true, ['value']],
      [1, false, []],
    ]);
    for (const x of h) {
      expect(x.author).toBe('alice');
      expect(x.created).toMatch(ISO);
    }
    const rows = readTable(await ok(alice(['secret', 'history', 'rotating'])), ['REVISION', 'WHEN', 'BY', 'CHANGED']);
    expect(rows.map((row) => [row.REVISION, row.BY, row.CHANGED])).toEqual([
      ['2 (current)', 'alice', 'value'],
      ['1', 'alice', 'registered'],
    ]);
    expect(rows[0]!.WHEN).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  step('--header changes a field in clear; show displays it and masks the value', async () => {
    await ok(alice(['secret', 'edit', 'rotating', '--header', 'X-New-Key']));
    expect((await history('rotating'))[0]).toMatchObject({ revision: 3, changed: ['headerName'] });
    const show = await ok(alice(['secret', 'show', 'rotating']));
    expect(show).toMatch(/^Header Name\s+X-New-Key$/m);
    expect(show).toMatch(/^Value\s+•+$/m);
    expect(show).toMatch(/^Revision\s+3$/m);
    expect(show).not.toContain('rot-v');
  });

  step('--no-expires removes the Expiration Date, --expires sets it', async () => {
    const expires = async () => (await listJson(alice)).find((s) => s.name === 'rotating')!.expires;
    expect(await expires()).toBe('2027-05-01T00:00:00.000Z');
    await ok(alice(['secret', 'edit', 'rotating', '--no-expires']));
    expect(await expires()).toBeNull();
    expect((await history('rotating'))[0]).toMatchObject({ revision: 4, changed: ['expires'] });
    expect(await ok(alice(['secret', 'show', 'rotating']))).toMatch(/^Expiration Date\s+—$/m);
    await ok(alice(['secret', 'edit', 'rotating', '--expires', '2029-09-09']));
    expect(await expires()).toBe('2029-09-09T00:00:00.000Z');
  });

  step('restore NAME 1 makes the first revision current again, as a new revision', async () => {
    const r = await alice(['secret', 'restore', 'rotating', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Restored revision 1 of "rotating" as revision 6.\n');
    expect(await ok(alice(['secret', 'get', 'rotating']))).toBe('rot-v1\n');
    expect(await ok(alice(['secret', 'get', 'rotating', '--field', 'headerName']))).toBe('X-Key\n');
    const h = await history('rotating');
    expect(h.map((x) => x.revision)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(h[0]).toMatchObject({ current: true, restoredFrom: 1 });
    expect(h[0]!.changed.sort()).toEqual(['expires', 'headerName', 'value']);
    expect(await ok(alice(['secret', 'history', 'rotating']))).toMatch(/^6 \(current\) .* restored from 1: /m);
    expect((await listJson(alice)).find((s) => s.name === 'rotating')!.expires).toBe('2027-05-01T00:00:00.000Z');
    // The current revision, a revision that never was.
    expect((await alice(['secret', 'restore', 'rotating', '6'])).code).toBe(6);
    const missing = await alice(['secret', 'restore', 'rotating', '99']);
    expect(missing.code).toBe(5);
    expect(errorLine(missing.stderr)).toMatchObject({ code: 'NOT_FOUND', field: 'revision' });
  });

  step('--name renames: the old name is gone, the value and history stay', async () => {
    await ok(alice(['secret', 'add', 'bearer-token', 'old-name', '--header', 'Authorization', '--value-stdin'], 'renamed-value'));
    await ok(alice(['secret', 'add', 'bearer-token', 'taken', '--header', 'Authorization', '--value-stdin'], 'taken-value'));
    const r = await alice(['secret', 'edit', 'old-name', '--name', 'new-name']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Saved "new-name" as revision 2.\n');
    expect((await alice(['secret', 'get', 'old-name'])).code).toBe(5);
    expect(await ok(alice(['secret', 'get', 'new-name']))).toBe('renamed-value\n');
    expect((await history('new-name'))[0]).toMatchObject({ revision: 2, changed: ['name'] });
    expect(await names(alice)).toEqual(['new-name', 'rotating', 'taken']);
    const clash = await alice(['secret', 'edit', 'new-name', '--name', 'taken']);
    expect(clash.code).toBe(6);
    expect(errorLine(clash.stderr)).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(await names(alice)).toEqual(['new-name', 'rotating', 'taken']);
  });

  step('key/value edits name the keys that changed; an empty edit and a foreign flag are refused', async () => {
    await ok(alice(['secret', 'add', 'key-value', 'env', '--kv', 'A', '--kv', 'B'], 'a1', 'b1'));
    await ok(alice(['secret', 'edit', 'env', '--kv', 'A', '--remove', 'B'], 'a2'));
    expect((await history('env'))[0]).toMatchObject({ revision: 2, changed: ['pairs.A', 'pairs.B'] });
    expect(await ok(alice(['secret', 'get', 'env']))).toBe('A=a2\n');
    const nothing = await alice(['secret', 'edit', 'env']);
    expect(nothing.code).toBe(2);
    expect(errorLine(nothing.stderr).code).toBe('VALIDATION');
    const foreign = await alice(['secret', 'edit', 'env', '--header', 'X-Key']);
    expect(foreign.code).toBe(2);
    expect(errorLine(foreign.stderr).message).toContain('--header');
  });
});

describe('secret usage, --read-only, certificate edits', alongside, () => {
  const tempDir = useTempDirs();
  let alice: Member;
  const history = (name: string) => historyOf(alice, name);
  const usage = (name: string) => usageOf(alice, name);

  beforeAll(async () => {
    alice = await seededVault(join(tempDir(), 'vault.coffer'));
  });

  step('usage lists who read, through which door and how, with the label given with secret get --consumer', async () => {
    await ok(alice(['secret', 'add', 'api-key', 'used', '--header', 'X-Key', '--value-stdin'], 'used-value'));
    expect(await ok(alice(['secret', 'usage', 'used']))).toBe('Never used.\n');
    expect(await ok(alice(['secret', 'get', 'used', '--consumer', 'deploy-bot']))).toBe('used-value\n');
    expect(await ok(alice(['secret', 'get', 'used']))).toBe('used-value\n');
    const u = await usage('used');
    expect(u.entries.map(({ who, door, how, detail }) => ({ who, door, how, detail }))).toEqual([
      { who: 'alice', door: 'cli', how: 'print', detail: null },
      { who: 'alice', door: 'cli', how: 'print', detail: 'deploy-bot' },
    ]);
    expect(u.entries.map((e) => e.consumer)).toEqual(['alice · CLI · secret get', 'alice · CLI · secret get (deploy-bot)']);
    for (const e of u.entries) expect(e.at).toMatch(ISO);
    expect(u.lastUsed).toBe(u.entries[0]!.at);
    const rows = readTable(await ok(alice(['secret', 'usage', 'used'])), ['WHEN', 'WHO', 'FROM', 'HOW']);
    expect(rows.map((row) => [row.WHO, row.FROM, row.HOW])).toEqual([
      ['alice', 'CLI', 'secret get'],
      ['alice', 'CLI', 'secret get (deploy-bot)'],
    ]);
    expect(rows[0]!.WHEN).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const listed = (await listJson(alice)).find((s) => s.name === 'used')!;
    expect(listed.lastUsed).toBe(u.lastUsed);
  });

  step('--read-only: get works and records no usage', async () => {
    await ok(alice(['secret', 'get', 'used', '--consumer', 'before']));
    const before = await usage('used');
    const listedBefore = (await listJson(alice)).find((s) => s.name === 'used')!;
    const r = await alice(['--read-only', 'secret', 'get', 'used', '--consumer', 'read-only-reader']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('used-value\n');
    expect(r.stderr).toBe('');
    // Other reads work read-only too.
    for (const args of [['secret', 'list'], ['secret', 'usage', 'used']]) {
      expect((await alice(['--read-only', ...args])).code).toBe(0);
    }
    const after = await usage('used');
    expect(after).toEqual(before);
    expect(after.entries.map((e) => e.detail)).not.toContain('read-only-reader');
    expect((await listJson(alice)).find((s) => s.name === 'used')).toEqual(listedBefore);
  });

  step('a certificate secret: its Expiration Date cannot be typed', async () => {
    const dir = tempDir();
    await writeCertFiles(dir);
    await ok(alice(['secret', 'add', 'certificate', 'site', '--cert', join(dir, 'c.pem')]));
    const r = await alice(['secret', 'edit', 'site', '--expires', '2030-01-01']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'expires' });
    // Adding the key later is an edit of the privateKey field.
    await ok(alice(['secret', 'edit', 'site', '--key', join(dir, 'k.key')]));
    expect((await history('site'))[0]).toMatchObject({ revision: 2, changed: ['privateKey'] });
    const missing = await alice(['secret', 'add', 'certificate', 'nofile', '--cert', join(dir, 'missing.pem')]);
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr)).toMatchObject({ code: 'VALIDATION', field: 'certificate' });
  });
});
