import { describe, expect, it } from 'vitest';
import { getSecretValue, listSecrets, resolveSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addTeam, addWorkspace, renameWorkspace } from '../../electron/core/vault/structure';
import { newVault, useTempDir } from '../support/vault';

const key = (name: string, value: string, where: object = {}) => ({ type: 'api-key' as const, name, ...where, fields: { headerName: 'X-Key', value } });
const conflict = expect.objectContaining({ code: 'CONFLICT', field: 'name' });

describe('secret names', () => {
  const tempDir = useTempDir();

  it('are unique per scope ignoring case, accents normalized, surrounding spaces trimmed', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, key('Stripe', 'a'));
    expect(() => registerSecret(session, key('stripe', 'b'))).toThrow(conflict);
    expect(() => registerSecret(session, key('  STRIPE ', 'b'))).toThrow(conflict);
    registerSecret(session, key('Caf\u00e9', 'c'));
    // "e" + combining acute is the same name once normalized (NFC).
    expect(() => registerSecret(session, key('CAFE\u0301', 'd'))).toThrow(conflict);
    expect(listSecrets(session).items.map((i) => i.name)).toEqual(['Caf\u00e9', 'Stripe']);
  });

  it('may repeat at another level or in another workspace', async () => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    addWorkspace(session, 'Frontend');
    registerSecret(session, key('Stripe', 'personal'));
    registerSecret(session, key('stripe', 'org', { level: 'organization' }));
    registerSecret(session, key('STRIPE', 'backend', { level: 'workspace', workspace: 'Backend' }));
    registerSecret(session, key('Stripe', 'frontend', { level: 'workspace', workspace: 'Frontend' }));
    expect(listSecrets(session).total).toBe(4);
    expect(() => registerSecret(session, key('stripe', 'again', { level: 'workspace', workspace: 'backend' }))).toThrow(conflict);

    const value = (where: object) => getSecretValue(session, { name: 'Stripe', ...where }, { use: { door: 'cli', how: 'print' } }).value;
    expect(value({ level: 'personal' })).toBe('personal');
    expect(value({ level: 'organization' })).toBe('org');
    expect(value({ workspace: 'Backend' })).toBe('backend');
    expect(value({ level: 'workspace', workspace: 'frontend' })).toBe('frontend');
  });

  it('an ambiguous reference is CONFLICT listing every candidate', async () => {
    const { session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    registerSecret(session, key('Stripe', 'personal'));
    registerSecret(session, key('Stripe', 'org', { level: 'organization' }));
    registerSecret(session, key('Stripe', 'backend', { level: 'workspace', workspace: 'Backend' }));
    let error: unknown;
    try {
      resolveSecret(session, { name: 'stripe' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const message = (error as Error).message;
    for (const candidate of ['personal/stripe', 'workspace/Backend/stripe', 'organization/stripe']) expect(message).toContain(candidate);
    expect(() => getSecretValue(session, { name: 'Stripe' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    // A level that leaves one candidate resolves it.
    expect(() => resolveSecret(session, { name: 'Stripe', level: 'workspace' })).not.toThrow();
  });

  it('renaming onto a taken name is CONFLICT; a change of case only is a rename', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, key('Alpha', 'a'));
    registerSecret(session, key('Beta', 'b'));
    expect(() => editSecret(session, { ref: { name: 'Beta' }, name: 'ALPHA' })).toThrow(conflict);
    expect(editSecret(session, { ref: { name: 'beta' }, name: 'BETA' })).toMatchObject({ name: 'BETA', revision: 2 });
    expect(listSecrets(session).items.map((i) => i.name)).toEqual(['Alpha', 'BETA']);
  });

  it('an unknown name is NOT_FOUND on field name', async () => {
    const { session } = await newVault(tempDir());
    expect(() => resolveSecret(session, { name: 'nothing' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'name' }));
    expect(() => resolveSecret(session, { name: 'nothing', workspace: 'Nowhere' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'workspace' }));
  });

  it('that would display as something else are refused, the field named, in every kind of name', async () => {
    const { session } = await newVault(tempDir());
    const spoofing = { code: 'VALIDATION', field: 'name', message: expect.stringContaining('invisible or text-direction characters') };
    // "invoice\u202Efdp.exe" displays as "invoiceexe.pdf".
    expect(() => registerSecret(session, key('invoice\u202Efdp.exe', 'v'))).toThrow(expect.objectContaining(spoofing));
    expect(() => registerSecret(session, key('Stri\u200Bpe', 'v'))).toThrow(expect.objectContaining(spoofing));
    expect(() => addWorkspace(session, 'Back\u2028end')).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('U+2028') }));
    expect(() => addTeam(session, 'O\uFEFFps')).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('U+FEFF') }));
    addWorkspace(session, 'Backend');
    expect(() => renameWorkspace(session, 'Backend', 'Backend\u2066')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    registerSecret(session, key('Plain', 'v'));
    expect(() => editSecret(session, { ref: { name: 'Plain' }, name: 'Pl\u00ADain' })).toThrow(expect.objectContaining(spoofing));
  });
});
