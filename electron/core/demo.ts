import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import type { CoreContext } from './context';
import { registerSecret } from './secrets/registration';
import { addTeam, addWorkspace } from './vault/structure';
import { Vault } from './vault/vault';

/** The teams of the "Spot" availability (docs/product.md §2). */
export const DEMO_TEAMS = ['CodeCrafters', 'Bytebards', 'GlitchGuardians', 'QuantumQuorums', 'NeuralNinjas', 'EchoEngineers'];

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

function sampleSecrets(inDays: (n: number) => string): RegisterSecretInput[] {
  return [
    { type: 'api-key', name: 'Stripe live key', level: 'organization', expires: inDays(45), fields: { headerName: 'Authorization', value: 'sk_live_demo_4eC39HqLyjWDarjtT1zdp7dc' } },
    { type: 'bearer-token', name: 'GitHub Actions token', level: 'organization', teams: ['CodeCrafters', 'Bytebards'], expires: inDays(6), fields: { headerName: 'Authorization', headerValue: 'Bearer ghp_demo_16C7e42F292c6912E7710c838347Ae178B4a' } },
    { type: 'client-credentials', name: 'Auth0 machine client', level: 'organization', teams: ['GlitchGuardians'], fields: { clientId: 'demo-m2m-client', url: 'https://demo.auth0.example/oauth/token', clientSecret: 'demo-client-secret-0b9f2a' } },
    { type: 'certificate', name: 'Payments mTLS', level: 'organization', fields: { certificate: file('payments.pem', DEMO_CERT), privateKey: file('payments.key', DEMO_KEY) } },
    { type: 'key-value', name: 'Backend .env', level: 'workspace', workspace: 'Backend', fields: { pairs: [{ key: 'DATABASE_URL', value: 'postgres://app:demo@db.internal:5432/app' }, { key: 'REDIS_URL', value: 'redis://cache.internal:6379' }] } },
    { type: 'api-key', name: 'Sentry DSN', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Sentry-Auth', value: 'demo-sentry-3f1c' } },
    { type: 'bearer-token', name: 'Vercel deploy token', level: 'workspace', workspace: 'Frontend', expires: inDays(120), fields: { headerName: 'Authorization', headerValue: 'Bearer demo-vercel-9a8b7c' } },
    { type: 'api-key', name: 'OpenAI personal key', level: 'personal', expires: inDays(1), fields: { headerName: 'Authorization', value: 'sk-demo-personal-1234' } },
    { type: 'key-value', name: 'Home lab', level: 'personal', fields: { pairs: [{ key: 'NAS_USER', value: 'admin' }, { key: 'NAS_PASSWORD', value: 'demo-nas-pass' }] } },
  ];
}

export const DEMO_PASSWORD = 'coffer-demo-password';

/** A throwaway vault in a temp folder with sample secrets of every type (docs/product.md §3 "Try a demo vault"). */
export async function createDemoVault(context?: Partial<CoreContext>): Promise<{ path: string; password: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-demo-')), 'demo.coffer');
  const vault = await Vault.create(path, { org: 'Acme (demo)', member: 'demo', password: DEMO_PASSWORD, kdf: 'fast' }, { context });
  const session = await vault.unlock(undefined, DEMO_PASSWORD);
  try {
    addWorkspace(session, 'Backend');
    addWorkspace(session, 'Frontend');
    for (const t of DEMO_TEAMS) addTeam(session, t);
    const now = vault.ctx.clock.now();
    const inDays = (n: number) => new Date(now + n * 86_400_000).toISOString().slice(0, 10);
    for (const s of sampleSecrets(inDays)) registerSecret(session, s);
  } finally {
    session.lock();
    vault.close();
  }
  return { path, password: DEMO_PASSWORD };
}
