import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { Member } from './run';
import { alongside, errorLine, initVault, step, useTempDirs } from './run';

/** What a clumsy user or a hostile script can hand the CLI: every refusal typed, exit 2, the field named. */

describe('input the CLI refuses', alongside, () => {
  const tempDir = useTempDirs();
  let dir = '';
  let alice: Member;

  beforeAll(async () => {
    dir = tempDir();
    alice = await initVault(join(dir, 'vault.coffer'));
  });

  step('a repeated --kv key is refused, naming the key, before any value is read', async () => {
    const r = await alice(['secret', 'add', 'key-value', 'twice', '--kv', 'A=1', '--kv', 'B', '--kv', ' A=2']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: '--kv A is given more than once', field: 'pairs' });
  });

  step('names that display as something else are refused, the character and the field named', async () => {
    const secret = await alice(['secret', 'add', 'api-key', 'invoice\u202Efdp.exe', '--header', 'X-Key', '--value-stdin'], 'v');
    expect(secret.code).toBe(2);
    expect(errorLine(secret.stderr)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('(U+202E)'), field: 'name' });
    for (const name of ['Back\u200Bend', 'Op\u2028s']) {
      const ws = await alice(['workspace', 'add', name]);
      expect(ws.code, name).toBe(2);
      expect(errorLine(ws.stderr)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('invisible or text-direction') });
    }
  });

  step('an expiry outside 1970–9999 is refused, not accepted with a warning', async () => {
    const r = await alice(['secret', 'add', 'api-key', 'old', '--header', 'X-Key', '--value-stdin', '--expires', '0000-01-01'], 'v');
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: 'Expiration Date must be 1970-01-01 or later', field: 'expires' });
    expect(r.stderr).not.toContain('warning');
  });
});
