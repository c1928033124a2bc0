import { describe, expect, it } from 'vitest';
import type { Content } from '../../electron/core/secrets/content';
import { DEFAULT_FIELD, applyPatch, changedFields, contentFromFields, fieldViews, masked } from '../../electron/core/secrets/content';
import { SECRET_TYPES } from '../../shared/schemas/secrets';

const apiKey: Content = { type: 'api-key', headerName: 'X-Key', value: 'sk_1' };
const bearer: Content = { type: 'bearer-token', headerName: 'Authorization', headerValue: 'Bearer t1' };
const client: Content = { type: 'client-credentials', clientId: 'app', url: 'https://idp.example.com', clientSecret: 'cs1' };
const kv: Content = { type: 'key-value', pairs: [{ key: 'A', value: '1' }, { key: 'B', value: '2' }] };
const invalid = (field: string) => expect.objectContaining({ code: 'VALIDATION', field });

describe('contentFromFields', () => {
  it('tags checked fields with their type', () => {
    expect(contentFromFields('api-key', { headerName: 'X-Key', value: 'sk_1' })).toEqual(apiKey);
    expect(contentFromFields('key-value', { pairs: [{ key: 'A', value: '1' }] })).toEqual({ type: 'key-value', pairs: [{ key: 'A', value: '1' }] });
  });
});

describe('applyPatch', () => {
  it('changes only the fields given, validated like registration', () => {
    expect(applyPatch(apiKey, { value: 'sk_2' })).toEqual({ ...apiKey, value: 'sk_2' });
    expect(applyPatch(client, { url: ' https://new.example.com ' })).toEqual({ ...client, url: 'https://new.example.com' });
    expect(() => applyPatch(client, { url: 'ftp://x' })).toThrow(invalid('url'));
    expect(() => applyPatch(bearer, { headerValue: '' })).toThrow(invalid('headerValue'));
  });

  it('refuses a field of another type, naming it', () => {
    expect(() => applyPatch(apiKey, { headerValue: 'x' })).toThrow(invalid('headerValue'));
    expect(() => applyPatch(kv, { value: 'x' })).toThrow(invalid('value'));
    expect(() => applyPatch(client, { pairs: [] })).toThrow(invalid('pairs'));
  });

  it('sets, adds and removes key/value pairs, keeping order', () => {
    expect(applyPatch(kv, { setPairs: [{ key: 'B', value: '20' }, { key: ' C ', value: '3' }], removeKeys: ['A'] })).toEqual({
      type: 'key-value',
      pairs: [{ key: 'B', value: '20' }, { key: 'C', value: '3' }],
    });
    expect(applyPatch(kv, { pairs: [{ key: 'Z', value: '26' }] })).toEqual({ type: 'key-value', pairs: [{ key: 'Z', value: '26' }] });
  });

  it('refuses removing a key that is not there, the last key, and repeated keys in a replacement', () => {
    expect(() => applyPatch(kv, { removeKeys: ['Q'] })).toThrow(invalid('pairs'));
    expect(() => applyPatch(kv, { removeKeys: ['A', 'B'] })).toThrow(invalid('pairs'));
    expect(() => applyPatch(kv, { pairs: [{ key: 'A', value: '1' }, { key: 'A', value: '2' }] })).toThrow(invalid('pairs.1.key'));
  });
});

describe('changedFields', () => {
  it('names the fields whose values differ, never the values', () => {
    expect(changedFields(apiKey, apiKey)).toEqual([]);
    expect(changedFields(apiKey, { ...apiKey, value: 'sk_2' })).toEqual(['value']);
    expect(changedFields(client, { ...client, clientId: 'b', clientSecret: 'c' })).toEqual(['clientId', 'clientSecret']);
  });

  it('names key/value keys that were added, removed or changed', () => {
    const next: Content = { type: 'key-value', pairs: [{ key: 'B', value: '2' }, { key: 'A', value: '10' }, { key: 'C', value: '3' }] };
    expect(changedFields(kv, next).sort()).toEqual(['pairs.A', 'pairs.C']);
    expect(changedFields(kv, { type: 'key-value', pairs: [{ key: 'B', value: '2' }] })).toEqual(['pairs.A']);
  });
});

describe('field views', () => {
  it('flag exactly the secret fields, which masking empties', () => {
    const views = fieldViews(client);
    expect(views.map((v) => [v.key, v.label, v.secret])).toEqual([
      ['clientId', 'Client ID', false],
      ['url', 'URL', false],
      ['clientSecret', 'Client Secret', true],
    ]);
    expect(masked(views).map((v) => v.value)).toEqual(['app', 'https://idp.example.com', null]);
    expect(masked(fieldViews(kv)).every((v) => v.secret && v.value === null)).toBe(true);
    expect(JSON.stringify(masked(fieldViews(bearer)))).not.toContain('Bearer t1');
  });

  it('a certificate shows its facts and masks only the private key', () => {
    const cert: Content = {
      type: 'certificate',
      certificate: '-----BEGIN CERTIFICATE-----\n…',
      privateKey: '-----BEGIN PRIVATE KEY-----\n…',
      subject: 'CN=x',
      issuer: 'CN=x',
      serialNumber: '01',
      fingerprint256: 'AA:BB',
      notBefore: Date.parse('2026-01-01T00:00:00Z'),
      notAfter: Date.parse('2027-01-01T00:00:00Z'),
    };
    const views = masked(fieldViews(cert));
    expect(views.filter((v) => v.secret).map((v) => v.key)).toEqual(['privateKey']);
    expect(views.find((v) => v.key === 'notAfter')).toMatchObject({ value: '2027-01-01T00:00:00.000Z', date: true });
    expect(views.find((v) => v.key === 'privateKey')!.value).toBeNull();
    expect(fieldViews({ ...cert, privateKey: null }).map((v) => v.key)).not.toContain('privateKey');
  });

  it('every type has a default field for `get`, which is a field of that type', () => {
    const samples: Record<string, Content> = { 'api-key': apiKey, 'bearer-token': bearer, 'client-credentials': client, 'key-value': kv };
    for (const type of SECRET_TYPES) {
      const field = DEFAULT_FIELD[type];
      if (type === 'key-value') expect(field).toBeNull();
      else if (samples[type]) expect(fieldViews(samples[type]).map((v) => v.key)).toContain(field);
      else expect(field).toBe('certificate');
    }
  });
});
