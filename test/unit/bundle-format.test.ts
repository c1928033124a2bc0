import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, FORMAT_VERSION, MAGIC, canonicalJson, fingerprint, parseHeader, parsePreamble, preamble } from '../../electron/core/bundles/format';
import type { BundleHeader } from '../../electron/core/bundles/format';
import { initSodium } from '../../electron/core/crypto/sodium';

const header: BundleHeader = {
  format: 'coffer-bundle',
  version: FORMAT_VERSION,
  id: 'b-1',
  created: 1,
  organization: 'Acme',
  selection: 'workspace Backend',
  items: 2,
  chunkBytes: CHUNK_BYTES,
  signer: { name: 'alice', signPublic: 'AAAA' },
  recipients: [{ kind: 'member', name: 'bob', boxPublic: 'AAAA', sealedKey: 'AAAA' }],
};
const bytes = (s: string) => new TextEncoder().encode(s);

describe('bundle format v1', () => {
  beforeAll(async () => {
    await initSodium();
  });

  it('writes canonical JSON: keys sorted at every depth, no whitespace, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(header).startsWith('{"chunkBytes":65536,"created":1,"format":"coffer-bundle","id":"b-1","items":2,')).toBe(true);
  });

  it('reads back exactly the canonical header and refuses any other encoding of it', () => {
    const text = canonicalJson(header);
    expect(parseHeader(bytes(text))).toEqual(header);
    expect(() => parseHeader(bytes(JSON.stringify(header)))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(() => parseHeader(bytes(text.replace(':', ': ')))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(() => parseHeader(bytes(canonicalJson({ ...header, extra: 1 })))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(() => parseHeader(bytes(canonicalJson({ ...header, recipients: [] })))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  });

  it('tells a foreign file, a newer format and an impossible header length apart', () => {
    expect(parsePreamble(preamble(123))).toBe(123);
    expect(() => parsePreamble(bytes('SQLite format 3\u0000 and more'))).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'file' }));
    const newer = preamble(10);
    newer[MAGIC.length + 1] = FORMAT_VERSION + 1;
    expect(() => parsePreamble(newer)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => parsePreamble(preamble(0))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(() => parsePreamble(preamble(2 * 1024 * 1024))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  });

  it('shows a key as 32 hex digits in groups of four', () => {
    expect(fingerprint(new Uint8Array(32))).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/);
  });
});
