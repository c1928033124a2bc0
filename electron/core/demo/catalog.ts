import type { RegisterSecretInput } from '../../../shared/schemas/secrets';
import type { UseVia } from '../secrets/usage';
import type { Draw } from './draw';

/**
 * What the demo vault holds: a few hundred made-up secrets of every type at every level, each with
 * a way it is used over the simulated months (index.ts). Every value says "demo" and opens nothing.
 */

/** The teams of the "Spot" availability (docs/product.md §2). */
export const DEMO_TEAMS = ['CodeCrafters', 'Bytebards', 'GlitchGuardians', 'QuantumQuorums', 'NeuralNinjas', 'EchoEngineers'];
export const DEMO_WORKSPACES = ['Backend', 'Frontend', 'Data', 'Mobile', 'Infrastructure'];

/** The other members, each signing in with the demo password; `demo` is the Account Holder. */
export const DEMO_MEMBERS = [
  { name: 'maria', role: 'sys-admin', teams: ['CodeCrafters', 'GlitchGuardians'] },
  { name: 'sam', role: 'member', teams: ['Bytebards', 'NeuralNinjas'] },
  { name: 'lee', role: 'account-manager', teams: ['EchoEngineers'] },
] as const;

/**
 * How a secret is used from its creation on: `daily` every third day, `weekly`, `stale` for a few
 * weeks and then never again (Inactive, or purged, by the end), `never`, and `retired` used until
 * near the end and then scheduled for deletion by a member.
 */
export type UsePattern = 'daily' | 'weekly' | 'stale' | 'never' | 'retired';

export interface DemoSecret {
  input: RegisterSecretInput;
  /** The simulated day it is registered on. */
  day: number;
  pattern: UsePattern;
  /** How it is read: `secret get`, the browser's Copy or Reveal, `coffer run …`, `coffer inject …` (docs/product.md §2, "Where used"). */
  consumers: UseVia[];
  /** The member whose session registers and reads it (a personal secret is theirs alone). */
  owner: string;
}

const API_KEYS: [string, string, string][] = [
  ['Stripe', 'Authorization', 'sk_live_demo_'],
  ['OpenAI', 'Authorization', 'sk-demo-'],
  ['Anthropic', 'x-api-key', 'sk-ant-demo-'],
  ['SendGrid', 'Authorization', 'SG.demo.'],
  ['Mailgun', 'Authorization', 'key-demo-'],
  ['Twilio', 'Authorization', 'SKdemo'],
  ['Datadog', 'DD-API-KEY', 'demo'],
  ['New Relic', 'Api-Key', 'NRAK-DEMO'],
  ['Algolia', 'X-Algolia-API-Key', 'demo'],
  ['Mapbox', 'Authorization', 'pk.demo.'],
  ['Google Maps', 'X-Goog-Api-Key', 'AIzaDemo'],
  ['Segment', 'Authorization', 'demo-write-'],
  ['Mixpanel', 'Authorization', 'demo'],
  ['Sentry', 'X-Sentry-Auth', 'demo'],
  ['PagerDuty', 'Authorization', 'u+demo'],
  ['Cloudflare', 'X-Auth-Key', 'demo'],
  ['Fastly', 'Fastly-Key', 'demo'],
  ['Snyk', 'Authorization', 'demo-'],
  ['LaunchDarkly', 'Authorization', 'sdk-demo-'],
  ['Plaid', 'PLAID-SECRET', 'demo'],
  ['Postmark', 'X-Postmark-Server-Token', 'demo-'],
  ['Contentful', 'Authorization', 'CFPAT-demo-'],
];

const BEARER_TOKENS: [string, string][] = [
  ['GitHub Actions', 'ghp_demo_'],
  ['GitLab CI', 'glpat-demo-'],
  ['npm publish', 'npm_demo'],
  ['Docker Hub', 'dckr_pat_demo'],
  ['Vercel deploy', 'demo-vercel-'],
  ['Netlify deploy', 'demo-netlify-'],
  ['Slack bot', 'xoxb-demo-'],
  ['Linear', 'lin_api_demo'],
  ['Notion integration', 'secret_demo'],
  ['Terraform Cloud', 'demo.atlasv1.'],
  ['DigitalOcean', 'dop_v1_demo'],
  ['Fly.io', 'fo1_demo_'],
];

const CLIENTS: [string, string][] = [
  ['Auth0 machine client', 'https://demo.auth0.example/oauth/token'],
  ['Okta service app', 'https://demo.okta.example/oauth2/v1/token'],
  ['Azure AD app', 'https://login.microsoftonline.example/demo/oauth2/v2.0/token'],
  ['Google OAuth client', 'https://oauth2.googleapis.example/token'],
  ['Salesforce connected app', 'https://demo.my.salesforce.example/services/oauth2/token'],
  ['HubSpot app', 'https://api.hubapi.example/oauth/v1/token'],
  ['Zoom app', 'https://zoom.example/oauth/token'],
  ['Dropbox app', 'https://api.dropboxapi.example/oauth2/token'],
];

const KEY_VALUES: [string, string[]][] = [
  ['Backend .env', ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET']],
  ['Postgres', ['PGHOST', 'PGUSER', 'PGPASSWORD']],
  ['RabbitMQ', ['AMQP_URL', 'AMQP_PASSWORD']],
  ['Kafka', ['BOOTSTRAP_SERVERS', 'SASL_USERNAME', 'SASL_PASSWORD']],
  ['Elasticsearch', ['ES_URL', 'ES_PASSWORD']],
  ['SMTP relay', ['SMTP_HOST', 'SMTP_USER', 'SMTP_PASSWORD']],
  ['LDAP bind', ['LDAP_URL', 'BIND_DN', 'BIND_PASSWORD']],
  ['S3 uploads', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'BUCKET']],
];

/** Each member's own secrets, of every type but certificates (the demo has one certificate, index.ts). */
function personalSecrets(value: (prefix: string) => string): RegisterSecretInput[] {
  const personal = { level: 'personal' as const };
  return [
    { type: 'api-key', name: 'OpenAI personal key', ...personal, fields: { headerName: 'Authorization', value: value('sk-demo-personal-') } },
    { type: 'api-key', name: 'Side project Stripe test key', ...personal, fields: { headerName: 'Authorization', value: value('sk_test_demo_') } },
    { type: 'bearer-token', name: 'GitHub personal token', ...personal, fields: { headerName: 'Authorization', headerValue: `Bearer ${value('ghp_demo_')}` } },
    { type: 'client-credentials', name: 'Spotify API app', ...personal, fields: { clientId: value('demo-'), url: 'https://accounts.spotify.example/api/token', clientSecret: value('demo-') } },
    { type: 'key-value', name: 'Home lab NAS', ...personal, fields: { pairs: [{ key: 'NAS_USER', value: 'admin' }, { key: 'NAS_PASSWORD', value: value('demo-nas-') }] } },
    { type: 'key-value', name: 'Personal AWS sandbox', ...personal, fields: { pairs: [{ key: 'AWS_ACCESS_KEY_ID', value: value('AKIADEMO') }, { key: 'AWS_SECRET_ACCESS_KEY', value: value('demo') }] } },
  ];
}

/** Where the environments of a service live: production at the organization, the rest in workspaces. */
const ENVIRONMENTS = ['production', 'staging', 'development', 'qa'] as const;

const GET: UseVia = { door: 'cli', how: 'print' };
const run = (command: string): UseVia => ({ door: 'cli', how: 'run', detail: command });
/** `secret get` twice, for weight: picked twice, it is one consumer. */
const CONSUMERS: UseVia[] = [
  GET,
  { door: 'browser', how: 'copy' },
  run('./deploy.sh'),
  run('npm run migrate'),
  { door: 'cli', how: 'inject', detail: 'config/app.env.tpl' },
  run('terraform apply'),
  GET,
  { door: 'browser', how: 'reveal' },
];

function pattern(d: Draw): UsePattern {
  const r = d.next();
  if (r < 0.45) return 'daily';
  if (r < 0.65) return 'weekly';
  if (r < 0.82) return 'stale';
  if (r < 0.94) return 'never';
  return 'retired';
}

/** Expiry, days from the end of the simulation: a fifth within the month (a few already past), some later, most never. */
function expiresIn(d: Draw): number | undefined {
  const r = d.next();
  if (r < 0.04) return -d.int(1, 20);
  if (r < 0.2) return d.pick([1, 3, 6, 9, 14, 21, 28]);
  if (r < 0.45) return d.int(31, 365);
  return undefined;
}

/**
 * Every secret of the demo, in the order they are registered, with `end` the simulated last day
 * and `day(n)` the ISO date n days from it (for expiry dates).
 */
export function demoSecrets(d: Draw, end: number, dateIn: (days: number) => string): DemoSecret[] {
  const out: DemoSecret[] = [];
  const value = (prefix: string) => `${prefix}${d.chars(24)}`;
  const add = (input: RegisterSecretInput, owner = 'demo') => {
    const p = pattern(d);
    // Secrets never used are recent, or they would all be gone by the end: a few old ones remain Inactive.
    const day = p === 'never' ? d.int(end - 45, end - 2) : d.int(0, end - 20);
    const left = expiresIn(d);
    const consumers = [d.pick(CONSUMERS), d.pick(CONSUMERS)].filter((c, i, all) => all.indexOf(c) === i);
    out.push({ input: left === undefined ? input : { ...input, expires: dateIn(left) }, day, pattern: p, consumers, owner });
  };
  const place = (env: (typeof ENVIRONMENTS)[number], i: number) => {
    if (env === 'production') {
      // Half the production secrets are for some teams only (the Spot teams).
      const teams = i % 2 ? undefined : [DEMO_TEAMS[i % DEMO_TEAMS.length]!, DEMO_TEAMS[(i + 2) % DEMO_TEAMS.length]!];
      return { level: 'organization' as const, ...(teams ? { teams } : {}) };
    }
    return { level: 'workspace' as const, workspace: DEMO_WORKSPACES[i % DEMO_WORKSPACES.length]! };
  };
  ENVIRONMENTS.forEach((env) => {
    API_KEYS.forEach(([vendor, header, prefix], i) =>
      add({ type: 'api-key', name: `${vendor} ${env} key`, ...place(env, i), fields: { headerName: header, value: value(prefix) } }),
    );
    BEARER_TOKENS.forEach(([what, prefix], i) =>
      add({ type: 'bearer-token', name: `${what} ${env} token`, ...place(env, i + 1), fields: { headerName: 'Authorization', headerValue: `Bearer ${value(prefix)}` } }),
    );
    CLIENTS.forEach(([what, url], i) =>
      add({ type: 'client-credentials', name: `${what} (${env})`, ...place(env, i), fields: { clientId: `demo-${env}-${d.chars(10)}`, url, clientSecret: value('demo-') } }),
    );
    KEY_VALUES.forEach(([what, keys], i) =>
      add({ type: 'key-value', name: `${what} ${env}`, ...place(env, i + 3), fields: { pairs: keys.map((key) => ({ key, value: value(`demo-${key.toLowerCase()}-`) })) } }),
    );
  });
  for (const member of ['demo', ...DEMO_MEMBERS.map((m) => m.name)]) {
    for (const input of personalSecrets(value)) add(input, member);
  }
  return out;
}
