import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, canonicalJson, fingerprint } from '../../electron/core/bundles/format';
import { parseRecord } from '../../electron/core/bundles/records';
import { KDF_BOUNDS } from '../../electron/core/crypto/kdf';
import { initSodium } from '../../electron/core/crypto/sodium';
import { contentFromFields } from '../../electron/core/secrets/content';
import { SECRET_TYPES, registerSecretInput } from '../../shared/schemas/secrets';

/** docs/bundle-format.md is normative for other implementations: its examples and numbers must be what the code accepts. */
const doc = readFileSync(join(__dirname, '../../docs/bundle-format.md'), 'utf8');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
const records = jsonBlocks.map((text) => ({ text, value: JSON.parse(text) as Record<string, unknown> })).filter((b) => 'type' in b.value && 'created' in b.value);
const MiB = 1024 * 1024;
const spaced = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

describe('docs/bundle-format.md', () => {
  beforeAll(async () => {
    await initSodium();
  });

  it('shows one example record per secret type', () => {
    expect(records.map((r) => r.value.type).sort()).toEqual([...SECRET_TYPES].sort());
  });

  it.each(records.map((r) => [r.value.type as string, r] as const))('its %s example is a record the importer accepts', (_type, r) => {
    const record = parseRecord(r.value, 0);
    const valid = registerSecretInput.safeParse(record.input);
    expect(valid.error?.issues ?? []).toEqual([]);
    // Nothing the registration schema would silently drop: the example shows only keys that count.
    expect(valid.data).toMatchObject(record.input);
    expect(Buffer.byteLength(r.text.trim())).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    // Canonical JSON of a record reads back as the same record, and is its own canonical form.
    const canonical = canonicalJson(r.value);
    expect(JSON.parse(canonical)).toEqual(r.value);
    expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
  });

  it('the certificate example is a real certificate, read as on any upload', () => {
    const cert = records.find((r) => r.value.type === 'certificate')!;
    const input = registerSecretInput.parse(parseRecord(cert.value, 0).input);
    const content = contentFromFields(input.type, input.fields as Record<string, unknown>);
    expect(content).toMatchObject({ type: 'certificate', notAfter: Date.parse('2036-01-01T00:00:00Z') });
  });

  it("states the fingerprint test vector and the reader's KDF bounds as the code has them", () => {
    const vector = /32 zero bytes has the fingerprint `([0-9a-f:]+)`/.exec(doc)?.[1];
    expect(vector).toBe(fingerprint(new Uint8Array(32)));
    for (const [profile, b] of Object.entries(KDF_BOUNDS)) {
      const row = `| \`${profile}\` | ${b.minOps} … ${b.maxOps} | ${spaced(b.minMem)} (${b.minMem / MiB} MiB) … ${spaced(b.maxMem)} (1 GiB) |`;
      expect(doc).toContain(row);
    }
  });
});
