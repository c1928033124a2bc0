import { statSync } from 'node:fs';
import { appendAudit } from '../../electron/core/audit/log';
import type { CoreContext } from '../../electron/core/context';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { sessionPass } from '../../electron/core/lifecycle/passes';
import { registerSecrets } from '../../electron/core/secrets/registration';
import { addTeam, addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { CONFIRM_WORD } from '../../shared/schemas/lifecycle';
import type { RegisterSecretInput, SecretStatus, SecretType } from '../../shared/schemas/secrets';
import { BASE62, BASE64URL, Draw, HEX, itemSeed } from './prng';
import { selfSigned } from '../self-signed';

/**
 * Deterministic bench vaults: item `i` of seed `s` is always the same secret (name, type, level,
 * place, value, expiry, status), whatever the size, so a 1,000-secret vault is the first 1,000 of
 * the 100,000 one.
 */
export const PASSWORD = 'bench correct horse battery staple';
export const MEMBER = 'bench';
export const WORKSPACES = ['Payments', 'Identity', 'Data Platform', 'Mobile', 'Search', 'Billing', 'Growth', 'Infrastructure'] as const;
export const TEAMS = ['CodeCrafters', 'Platform', 'SRE', 'Security'] as const;

const SERVICES = [
  'payments', 'billing', 'identity', 'auth', 'search', 'catalog', 'checkout', 'notifications', 'analytics', 'ledger',
  'shipping', 'inventory', 'recommendations', 'onboarding', 'fraud-detection', 'data-warehouse', 'mobile-backend',
  'partner-gateway', 'customer-portal', 'reporting',
];
const VENDORS = [
  'stripe', 'github', 'slack', 'datadog', 'sentry', 'twilio', 'sendgrid', 'aws', 'gcp', 'azure', 'pagerduty', 'okta',
  'auth0', 'cloudflare', 'openai', 'mapbox', 'segment', 'algolia', 'mailgun', 'shopify',
];
const COMPONENTS = ['api', 'worker', 'gateway', 'cron', 'web', 'db', 'cache', 'queue', 'stream', 'ingest', 'export', 'admin', 'sync', 'webhooks', 'scheduler'];
const ENVS = ['prod', 'staging', 'dev', 'qa', 'sandbox', 'preprod'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
const KINDS: Record<SecretType, string[]> = {
  'api-key': ['key', 'api-key', 'access-key', 'secret-key'],
  'bearer-token': ['token', 'bearer', 'oauth-token', 'access-token'],
  'client-credentials': ['client', 'oauth-client', 'client-credentials', 'app-credentials'],
  certificate: ['cert', 'tls', 'mtls-cert', 'ssl'],
  'key-value': ['env', 'config', 'dotenv', 'settings'],
};
const ENV_KEYS = [
  'DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME', 'REDIS_URL', 'API_BASE_URL', 'SENTRY_DSN', 'JWT_SECRET',
  'SMTP_HOST', 'SMTP_PASSWORD', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'STRIPE_KEY', 'LOG_LEVEL',
  'FEATURE_FLAGS', 'S3_BUCKET', 'KAFKA_BROKERS', 'OAUTH_CLIENT_SECRET',
];
const TYPE_WEIGHTS: (readonly [SecretType, number])[] = [
  ['api-key', 35],
  ['bearer-token', 20],
  ['client-credentials', 20],
  ['key-value', 20],
  ['certificate', 5],
];
const STATUS_WEIGHTS: (readonly [SecretStatus, number])[] = [
  ['active', 85],
  ['inactive', 11],
  ['scheduled', 4],
];

export const MIN_NAME = 12;
/** The vault defaults (docs/product.md §4): Inactive after 30 days unused, purged 30 days later. */
const INACTIVE_DAYS = 30;
const MAX_AGE_DAYS = 59;
export const MAX_NAME = 60;

/** One self-signed certificate and its key, made once per run and reused by every certificate item. */
export interface BenchCertificate {
  pemBase64: string;
  keyBase64: string;
}

/** Makes the certificate in Node (no openssl needed), once per run. */
export async function makeCertificate(): Promise<BenchCertificate> {
  const made = await selfSigned({ subject: 'CN=api.bench.example, O=Bench Corp', days: 825 });
  return { pemBase64: Buffer.from(made.pem).toString('base64'), keyBase64: Buffer.from(made.keyPem).toString('base64') };
}

export interface BenchItem {
  input: RegisterSecretInput;
  name: string;
  type: SecretType;
  /** What the lifecycle makes of it: the fixture creates it `ageDays` ago and schedules or leaves it unused to get there. */
  status: SecretStatus;
  ageDays: number;
  /** For `scheduled`: when its deletion was scheduled. */
  scheduledDaysAgo: number | null;
}

export interface GeneratorOptions {
  seed: number;
  cert: BenchCertificate;
  /** Every item at personal level (the browser-mode vault: the table the app opens on holds them all). */
  allPersonal?: boolean;
}

const pad5 = (i: number) => String(i).padStart(5, '0');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function nameOf(d: Draw, type: SecretType, i: number): string {
  const kind = d.pick(KINDS[type]);
  const vendor = d.chance(0.4) ? d.pick(VENDORS) : null;
  if (d.chance(0.1)) {
    // People also name things in words: "Stripe checkout prod api-key 00042".
    const words = [capital(vendor ?? d.pick(SERVICES)), d.pick(COMPONENTS), d.pick(ENVS), kind, pad5(i)];
    return words.join(' ');
  }
  const optional: (string | null)[] = [vendor, d.chance(0.8) ? d.pick(COMPONENTS) : null, d.chance(0.85) ? d.pick(ENVS) : null, d.chance(0.5) ? d.pick(REGIONS) : null];
  const head = d.pick(SERVICES);
  const tail = [kind, pad5(i)];
  // Drop the optional parts from the most specific until the name fits.
  const dropOrder = [3, 0, 1, 2];
  const build = () => [head, ...optional.filter((p): p is string => p !== null), ...tail].join('-');
  let name = build();
  for (const k of dropOrder) {
    if (name.length <= MAX_NAME) break;
    optional[k] = null;
    name = build();
  }
  return name.length >= MIN_NAME ? name : `${head}-secret-${pad5(i)}`;
}

function isoDay(d: Draw): string {
  const start = Date.UTC(2026, 0, 1);
  const days = d.int(0, 4 * 365);
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}

function jwtish(d: Draw): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: d.chars(HEX, 16) })).toString('base64url');
  return `${header}.${d.chars(BASE64URL, d.int(120, 360))}.${d.chars(BASE64URL, 86)}`;
}

function fieldsOf(d: Draw, type: SecretType, name: string, cert: BenchCertificate): Record<string, unknown> {
  switch (type) {
    case 'api-key':
      return {
        headerName: d.pick(['Authorization', 'X-Api-Key', 'X-API-Token', 'Api-Key']),
        value: `${d.pick(['sk_live_', 'pk_live_', 'AKIA', 'ghp_', 'xoxb-', ''])}${d.chars(BASE62, d.int(24, 48))}`,
      };
    case 'bearer-token':
      return { headerName: 'Authorization', headerValue: `Bearer ${jwtish(d)}` };
    case 'client-credentials': {
      const service = name.split(/[- ]/)[0]!.toLowerCase();
      return {
        clientId: `${service}-${d.pick(ENVS)}-client-${d.chars(HEX, 8)}`,
        url: `https://auth.${service}.example.com/oauth2/token`,
        clientSecret: d.chars(BASE62, d.int(32, 64)),
      };
    }
    case 'key-value':
      return { pairs: d.sample(ENV_KEYS, d.int(2, 10)).map((key) => ({ key, value: d.chars(BASE62, d.int(8, 40)) })) };
    case 'certificate':
      return {
        certificate: { fileName: 'tls.pem', base64: cert.pemBase64 },
        ...(d.chance(0.5) ? { privateKey: { fileName: 'tls.key', base64: cert.keyBase64 } } : {}),
      };
  }
}

/** Item `i`: the same for a given seed, drawn on its own. */
export function itemAt(i: number, opts: GeneratorOptions): BenchItem {
  const d = Draw.seeded(itemSeed(opts.seed, i));
  const type = d.weighted(TYPE_WEIGHTS);
  const name = nameOf(d, type, i);
  const level = opts.allPersonal ? 'personal' : d.weighted([['personal', 30], ['workspace', 50], ['organization', 20]] as const);
  const input: Record<string, unknown> = { type, name, level, fields: fieldsOf(d, type, name, opts.cert) };
  if (level === 'workspace') input.workspace = d.pick(WORKSPACES);
  if (level === 'organization' && d.chance(0.4)) input.teams = d.sample(TEAMS, d.int(1, 2));
  if (type !== 'certificate' && d.chance(0.45)) input.expires = isoDay(d);
  const status = d.weighted(STATUS_WEIGHTS);
  // Active ones are younger than the 30-day inactivity period; Inactive ones older, not yet purged (30 more days).
  const ageDays = status === 'inactive' ? d.int(INACTIVE_DAYS + 1, MAX_AGE_DAYS) : d.int(0, INACTIVE_DAYS - 1);
  const scheduledDaysAgo = status === 'scheduled' ? d.int(0, ageDays) : null;
  return { input: input as RegisterSecretInput, name, type, status, ageDays, scheduledDaysAgo };
}

export function items(from: number, to: number, opts: GeneratorOptions): BenchItem[] {
  const out: BenchItem[] = [];
  for (let i = from; i < to; i++) out.push(itemAt(i, opts));
  return out;
}

/** A clock the fixture moves: secrets registered, scheduled and used on past days. */
export interface SettableClock {
  now(): number;
  set(ms: number): void;
}

export function settableClock(start: number): SettableClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms) };
}

/** An empty vault with the bench's workspaces and teams (fast KDF). */
export async function createStructuredVault(path: string, context?: Partial<CoreContext>) {
  const vault = await Vault.create(path, { org: 'Bench Corp', member: MEMBER, password: PASSWORD, kdf: 'fast' }, { context });
  const session = await vault.unlock(undefined, PASSWORD);
  for (const w of WORKSPACES) addWorkspace(session, w);
  for (const t of TEAMS) addTeam(session, t);
  return { vault, session };
}

export interface FixtureInfo {
  size: number;
  buildMs: number;
  fileMb: number;
  byType: Record<string, number>;
  /** As the product's own scheduler left them. */
  byStatus: Record<string, number>;
  auditEntries: number;
  notices: number;
}

/**
 * Builds the vault a size is measured on, through the product's own calls: secrets registered in
 * bulk on the past day each item was created, deletions scheduled on their day, one scheduler pass
 * at the real time (which turns the unused ones Inactive and writes notices), then the audit log
 * topped up to N entries (uses of random secrets, through appendAudit) so audit verify walks N.
 * The uses are recorded as a member's unlocked session records them, under the audit key: entries
 * written without a key are adopted at the next unlock, so a vault in use never carries 100,000
 * of them, and a fixture that did made every locked status walk them all (docs/benchmark.md).
 */
export async function buildFixture(path: string, size: number, opts: GeneratorOptions): Promise<FixtureInfo> {
  const t0 = performance.now();
  const realNow = Date.now();
  const clock = settableClock(realNow - (MAX_AGE_DAYS + 1) * DAY_MS);
  const { vault, session } = await createStructuredVault(path, { clock });
  const byType: Record<string, number> = {};
  // One byte per item (its age in days): its input is drawn again on its day, so a million inputs never sit in memory together.
  const ages = new Uint8Array(size);
  const schedules: { name: string; at: number }[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const it = itemAt(i, opts);
      byType[it.type] = (byType[it.type] ?? 0) + 1;
      ages[i] = it.ageDays;
      if (it.scheduledDaysAgo !== null) schedules.push({ name: it.name, at: realNow - it.scheduledDaysAgo * DAY_MS });
    }
    for (let age = MAX_AGE_DAYS; age >= 0; age--) {
      const day: RegisterSecretInput[] = [];
      for (let i = 0; i < size; i++) if (ages[i] === age) day.push(itemAt(i, opts).input);
      if (day.length === 0) continue;
      clock.set(realNow - age * DAY_MS);
      await registerSecrets(session, day);
    }
    for (const sc of schedules.sort((a, b) => a.at - b.at)) {
      clock.set(sc.at);
      scheduleDeletion(session, { name: sc.name }, CONFIRM_WORD);
    }
    clock.set(realNow);
    sessionPass(session);
    const count = () => (vault.db.stmt('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const missing = size - count();
    if (missing > 0) {
      const ids = (vault.db.stmt('SELECT id FROM secrets ORDER BY id').all() as { id: string }[]).map((r) => r.id);
      const d = Draw.seeded(opts.seed ^ 0xa0d17);
      vault.db.write(() => {
        for (let k = 0; k < missing; k++) appendAudit(vault.db, realNow - Math.round(((missing - k) / missing) * MAX_AGE_DAYS * DAY_MS), MEMBER, 'secret.get', d.pick(ids), session.auditKey());
      });
    }
    const info = vault.info();
    const notices = (vault.db.stmt('SELECT count(*) AS n FROM notices').get() as { n: number }).n;
    const auditEntries = count();
    session.lock();
    vault.close();
    return {
      size,
      buildMs: performance.now() - t0,
      fileMb: statSync(path).size / 1048576,
      byType,
      byStatus: { active: info.secrets.active, inactive: info.secrets.inactive, scheduled: info.secrets.scheduled },
      auditEntries,
      notices,
    };
  } catch (e) {
    session.lock();
    vault.close();
    throw e;
  }
}
