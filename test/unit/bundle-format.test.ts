import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectBundle } from '../../electron/core/bundles/open';
import { BundleWriter } from '../../electron/core/bundles/writer';
import { CHUNK_BYTES, FORMAT_VERSION, MAGIC, canonicalJson, fingerprint, parseHeader, parsePreamble, preamble } from '../../electron/core/bundles/format';
import type { BundleHeader } from '../../electron/core/bundles/format';
import { initSodium } from '../../electron/core/crypto/sodium';

const b64 = (n: number, fill = 7) => Buffer.alloc(n, fill).toString('base64');
const header: BundleHeader = {
  format: 'coffer-bundle',
  version: FORMAT_VERSION,
  id: 'b-1',
  created: 1,
  organization: 'Acme',
  selection: 'workspace Backend',
  items: 2,
  chunkBytes: CHUNK_BYTES,
  signer: { name: 'alice', signPublic: b64(32) },
  recipients: [{ kind: 'member', name: 'bob', boxPublic: b64(32), sealedKey: b64(80) }],
};
const MiB = 1024 * 1024;
const withPassphrase = (kdf: Partial<{ profile: 'standard' | 'fast'; opslimit: number; memlimit: number }>): BundleHeader => ({
  ...header,
  recipients: [{ kind: 'passphrase', kdf: { alg: 'argon2id13', profile: 'standard', opslimit: 3, memlimit: 64 * MiB, salt: b64(16), ...kdf }, wrappedKey: b64(72) }],
});
const tampered = expect.objectContaining({ code: 'TAMPERED' });
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

  it('sorts keys by UTF-16 code units, as RFC 8785 does: a non-BMP key before U+FF61', () => {
    expect(canonicalJson({ '\uFF61': 1, '\u{1F600}': 2, a: 3 })).toBe('{"a":3,"\u{1F600}":2,"\uFF61":1}');
  });

  it('refuses KDF limits beyond the ceilings (or under the floors) when the header is read, before any derivation', () => {
    expect(parseHeader(bytes(canonicalJson(withPassphrase({}))))).toBeTruthy();
    expect(parseHeader(bytes(canonicalJson(withPassphrase({ opslimit: 10, memlimit: 1024 * MiB }))))).toBeTruthy();
    expect(parseHeader(bytes(canonicalJson(withPassphrase({ profile: 'fast', opslimit: 1, memlimit: 8 * MiB }))))).toBeTruthy();
    for (const kdf of [{ memlimit: 1024 * MiB + 1 }, { memlimit: 2 ** 42 }, { opslimit: 11 }, { opslimit: 2 ** 31 }, { opslimit: 2 }, { profile: 'fast' as const, opslimit: 11 }, { profile: 'fast' as const, memlimit: 8 * MiB - 1 }]) {
      expect(() => parseHeader(bytes(canonicalJson(withPassphrase(kdf))))).toThrow(tampered);
    }
  });

  it('a signed bundle asking for 1 TiB of Argon2 memory is refused as its header is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-kdf-'));
    try {
      const path = join(dir, 'greedy.cofferbundle');
      const w = new BundleWriter(path, { ...withPassphrase({ memlimit: 2 ** 40 }), items: 0 }, new Uint8Array(32));
      w.finish(new Uint8Array(64));
      expect(() => inspectBundle(path)).toThrow(expect.objectContaining({ code: 'TAMPERED', message: 'the bundle header does not have the expected fields' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes keys only as padded standard base64 of their exact length, spelled canonically', () => {
    const signer = (signPublic: string) => bytes(canonicalJson({ ...header, signer: { name: 'alice', signPublic } }));
    for (const bad of [b64(31), b64(33), b64(32).replace(/=+$/, ''), `${b64(32).slice(0, 42)}B=`, b64(32).replace(/.$/, '').replace(/^./, '-') + '=', `${b64(32).slice(0, 40)}____`]) {
      expect(() => parseHeader(signer(bad))).toThrow(tampered);
    }
  });

  it('refuses a header that is not valid UTF-8 or starts with a byte order mark', () => {
    const text = bytes(canonicalJson({ ...header, organization: 'Acme\u00e9' }));
    const invalid = Uint8Array.from(text);
    invalid[text.indexOf(0xc3)] = 0xff;
    expect(() => parseHeader(invalid)).toThrow(tampered);
    expect(() => parseHeader(new Uint8Array([0xef, 0xbb, 0xbf, ...text]))).toThrow(tampered);
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
