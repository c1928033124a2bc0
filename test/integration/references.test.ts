import { describe, expect, it } from 'vitest';
import { secretUsage } from '../../electron/core/secrets/reading';
import type { ReferenceUse } from '../../electron/core/secrets/reference-values';
import { readReferences } from '../../electron/core/secrets/reference-values';
import { parseReference } from '../../electron/core/secrets/references';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addWorkspace } from '../../electron/core/vault/structure';
import { newVault, useTempDir } from '../support/vault';

const use = (name: string, text: string): ReferenceUse => ({ reference: parseReference(text), where: name, field: name });

describe('readReferences', () => {
  const tempDir = useTempDir();

  async function vault() {
    const v = await newVault(tempDir());
    addWorkspace(v.session, 'Data Team');
    registerSecret(v.session, { type: 'api-key', name: 'api', level: 'personal', fields: { headerName: 'X-Api-Key', value: 'api-value-1' } });
    registerSecret(v.session, {
      type: 'key-value',
      name: 'db pass',
      level: 'workspace',
      workspace: 'Data Team',
      fields: { pairs: [{ key: 'user', value: 'db-user-2' }, { key: 'password', value: 'db-pass-3' }] },
    });
    return v;
  }

  it('reads every use in order, each secret once: one use recorded per secret however it is spelled', async () => {
    const { session, vault: v } = await vault();
    const values = readReferences(
      session,
      [
        use('A', 'coffer://personal/api'),
        use('U', 'coffer://workspace/Data%20Team/db%20pass#user'),
        use('P', 'coffer://workspace/data%20team/DB%20PASS#password'),
        use('H', 'coffer://personal/API#headerName'),
      ],
      { door: 'cli', how: 'run', detail: 'node' },
    );
    expect(values).toEqual(['api-value-1', 'db-user-2', 'db-pass-3', 'X-Api-Key']);
    expect(secretUsage(session, { name: 'api' }).entries.map((e) => e.consumer)).toEqual(['alice · CLI · run (node)']);
    expect(secretUsage(session, { name: 'db pass' }).entries.map((e) => e.consumer)).toEqual(['alice · CLI · run (node)']);
    session.lock();
    v.close();
  });

  it.each([
    ['an unknown secret', 'coffer://personal/nope', 'NOT_FOUND'],
    ['an unknown workspace', 'coffer://workspace/Nope/api', 'NOT_FOUND'],
    ['a field the secret lacks', 'coffer://personal/api#password', 'VALIDATION'],
    // Read after "api" was: the one transaction takes back that use too.
    ['a field of another secret that it lacks', 'coffer://workspace/Data%20Team/db%20pass#nope', 'VALIDATION'],
  ])('%s fails on the use that names it, and records no use of the others', async (_what, text, code) => {
    const { session, vault: v } = await vault();
    const uses = [use('A', 'coffer://personal/api'), use('BAD', text)];
    expect(() => readReferences(session, uses, { door: 'cli', how: 'run', detail: 'node' })).toThrow(expect.objectContaining({ code, field: 'BAD', message: expect.stringMatching(/^BAD \(coffer:\/\//) }));
    expect(secretUsage(session, { name: 'api' }).entries).toEqual([]);
    session.lock();
    v.close();
  });
});
