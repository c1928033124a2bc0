import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importForeign } from '../../electron/core/bundles/import-foreign';
import { exportPlain } from '../../electron/core/bundles/plain-export';
import { registerSecrets } from '../../electron/core/secrets/registration';
import type { Session } from '../../electron/core/vault/session';
import type { BenchCertificate } from '../../scripts/bench/generator';
import { createStructuredVault, items, makeCertificate } from '../../scripts/bench/generator';
import { newVault, useTempDir } from '../support/vault';

/** 10,000 of the bench's secrets: every type, every level, eight workspaces, half of them with an expiry. */
const COUNT = 10_000;

interface Exported {
  name: string;
  type: string;
  level: string;
  workspace: string | null;
  expires: string | null;
  fields: unknown;
}

/** Every secret as the JSON plain export states it: name, type, level, workspace, expiry and every field. */
function asJson(s: Session, out: string, names: string[]): Exported[] {
  exportPlain(s, { door: 'cli', out, format: 'json', selection: { kind: 'secrets', names } });
  return JSON.parse(readFileSync(out, 'utf8')) as Exported[];
}

describe('a Coffer KeePassXC CSV imported back', () => {
  const tempDir = useTempDir();
  let cert: BenchCertificate;

  beforeAll(async () => {
    cert = await makeCertificate();
  });

  it(`gives back every one of ${COUNT.toLocaleString('en-US')} secrets as it was exported`, async () => {
    const dir = tempDir();
    const source = await createStructuredVault(join(dir, 'source.coffer'));
    const inputs = items(0, COUNT, { seed: 7, cert }).map((it) => it.input);
    expect(await registerSecrets(source.session, inputs)).toBe(COUNT);
    const names = inputs.map((i) => i.name);
    const csv = join(dir, 'all.csv');
    expect(exportPlain(source.session, { door: 'cli', out: csv, format: 'keepassxc-csv', selection: { kind: 'secrets', names } }).items).toBe(COUNT);
    const before = asJson(source.session, join(dir, 'before.json'), names);

    const target = await newVault(dir, { member: 'bench' });
    const r = await importForeign(target.session, csv);
    expect(r.source).toMatchObject({ format: 'keepassxc-csv', items: COUNT });
    expect(r.skipped).toEqual([]);
    expect(r.applied).toEqual({ added: COUNT, revised: 0, copies: 0, kept: 0 });
    expect(r.items.filter((i) => i.renamedFrom !== undefined)).toEqual([]);
    const after = asJson(target.session, join(dir, 'after.json'), names);

    // The run covers what the layout distinguishes: each type, each level, with and without expiry and key.
    const kinds = new Set(before.map((b) => `${b.type} ${b.level} ${b.expires === null ? 'undated' : 'dated'}`));
    for (const type of ['api-key', 'bearer-token', 'client-credentials', 'key-value']) {
      for (const level of ['personal', 'organization', 'workspace']) for (const d of ['undated', 'dated']) expect(kinds).toContain(`${type} ${level} ${d}`);
    }
    const certificates = before.filter((b) => b.type === 'certificate').map((b) => 'privateKey' in (b.fields as object));
    expect(new Set(certificates)).toEqual(new Set([true, false]));
    expect(after).toHaveLength(COUNT);
    for (let i = 0; i < COUNT; i++) if (JSON.stringify(after[i]) !== JSON.stringify(before[i])) expect(after[i]).toEqual(before[i]);
    for (const v of [source, target]) {
      v.session.lock();
      v.vault.close();
    }
  }, 120_000);
});
