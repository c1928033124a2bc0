import { describe, expect, it } from 'vitest';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { registerSecret } from '../../electron/core/secrets/registration';
import { newVault, useTempDir } from '../support/vault';

/** The connection's page cache, as SQLite reports it: negative figures are KiB, positive ones pages. */
const cacheSize = (db: { raw: { pragma(sql: string, o: { simple: true }): unknown } }) => db.raw.pragma('cache_size', { simple: true });

describe('a whole-table scan runs with a small page cache (docs/benchmark.md, "A page cache that a scan does not fill")', () => {
  const tempDir = useTempDir();

  it('holds the cache at 2 MiB while the scan runs, and gives the connection back its own size afterwards', async () => {
    const { vault, session } = await newVault(tempDir());
    session.db.raw.pragma('cache_size = -8000');
    const during = session.db.scanning(() => cacheSize(session.db));
    expect(during).toBe(-2048);
    expect(cacheSize(session.db)).toBe(-8000);
    session.lock();
    vault.close();
  });

  it('gives the cache size back when the scan fails, and the failure reaches the caller unchanged', async () => {
    const { vault, session } = await newVault(tempDir());
    session.db.raw.pragma('cache_size = 300');
    const failure = new Error('the scan failed');
    expect(() =>
      session.db.scanning(() => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(cacheSize(session.db)).toBe(300);
    session.lock();
    vault.close();
  });

  it('builds the listing index with every secret and leaves the connection as it found it', async () => {
    const { vault, session } = await newVault(tempDir());
    for (let i = 0; i < 20; i++) registerSecret(session, { type: 'api-key', name: `scan-${i}`, fields: { headerName: 'X-Key', value: `v-${i}` } });
    const before = cacheSize(session.db);
    session.index = undefined;
    const index = SecretIndex.of(session);
    expect(index.size).toBe(20);
    expect(cacheSize(session.db)).toBe(before);
    session.lock();
    vault.close();
  });
});
