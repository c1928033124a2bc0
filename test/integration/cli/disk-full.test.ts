import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLine, initVault, ok } from './run';

/**
 * A real full disk and a real read-only medium: a 4 MiB tmpfs, filled to its last byte, then
 * remounted read-only. Mounting needs root, which CI has; elsewhere these tests are skipped and say
 * why (SECURITY.md, "Files", says what Coffer does on either).
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'coffer-small-disk-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status === 0;
afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes zeros until the disk refuses another byte; returns the file, to be removed to make room. */
function fillDisk(): string {
  const filler = join(mountPoint, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch {
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.skipIf(!mounted)('a full disk and a read-only medium (needs root to mount a tmpfs)', () => {
  it('reads work on a full disk and say what they could not record; writes are refused as LOCKED and work again once there is room', async () => {
    const dir = join(mountPoint, 'full');
    mkdirSync(dir);
    const vault = join(dir, 'v.coffer');
    const alice = await initVault(vault);
    await ok(alice(['secret', 'add', 'api-key', 'k', '--header', 'X-Key', '--value-stdin'], 'full-disk-value-1'));
    const before = sha(vault);
    const filler = fillDisk();

    // No -shm can be made: the vault is read from a copy in memory.
    const got = await alice(['secret', 'get', 'k']);
    expect(got.code).toBe(0);
    expect(got.stdout).toBe('full-disk-value-1\n');
    expect(got.stderr).toMatch(/the disk holding the vault is full: reading a copy of the vault in memory; nothing is written and no read is recorded/);
    expect(await ok(alice(['--read-only', 'secret', 'list']))).toMatch(/^k\s+API Key/m);
    const add = await alice(['secret', 'add', 'api-key', 'k2', '--header', 'X-Key', '--value-stdin'], 'full-disk-value-2');
    expect(add.code).toBe(8);
    expect(errorLine(add.stderr)).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/the disk holding the vault is full: nothing can be written/) });
    expect(sha(vault)).toBe(before);

    rmSync(filler);
    await ok(alice(['secret', 'add', 'api-key', 'k2', '--header', 'X-Key', '--value-stdin'], 'full-disk-value-2'));
    const later = await alice(['secret', 'get', 'k2']);
    expect([later.code, later.stdout, later.stderr]).toEqual([0, 'full-disk-value-2\n', '']);
    expect(await ok(alice(['audit', 'verify']))).toMatch(/intact/);
    rmSync(dir, { recursive: true });
  });

  it('with the vault held open elsewhere, a read on a full disk goes unrecorded, and a write is refused with nothing written', async () => {
    const dir = join(mountPoint, 'held');
    mkdirSync(dir);
    const vault = join(dir, 'v.coffer');
    const alice = await initVault(vault);
    await ok(alice(['secret', 'add', 'api-key', 'k', '--header', 'X-Key', '--value-stdin'], 'held-value-1'));
    // Another process keeps the vault open (as the desktop app would), so its -shm file exists.
    const holder = spawn(process.execPath, ['-e', `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(vault)}); d.prepare('SELECT count(*) FROM secrets').get(); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      expect(readdirSync(dir)).toContain('v.coffer-shm');
      const filler = fillDisk();
      const got = await alice(['secret', 'get', 'k']);
      expect([got.code, got.stdout]).toEqual([0, 'held-value-1\n']);
      expect(got.stderr).toMatch(/the disk is full: this read was not recorded in the usage history or the audit log/);
      const add = await alice(['secret', 'add', 'api-key', 'k2', '--header', 'X-Key', '--value-stdin'], 'held-value-2');
      expect(add.code).toBe(8);
      expect(errorLine(add.stderr)).toMatchObject({ code: 'LOCKED', message: 'the disk is full: free some space and retry; nothing was written' });
      rmSync(filler);
      expect(JSON.parse(await ok(alice(['--json', 'secret', 'list']))).map((s: { name: string }) => s.name)).toEqual(['k']);
    } finally {
      holder.kill();
    }
    rmSync(dir, { recursive: true });
  });

  it('reads a vault on a read-only medium, and refuses to write to it', async () => {
    const dir = join(mountPoint, 'medium');
    mkdirSync(dir);
    const vault = join(dir, 'v.coffer');
    const alice = await initVault(vault);
    await ok(alice(['secret', 'add', 'api-key', 'k', '--header', 'X-Key', '--value-stdin'], 'medium-value-1'));
    const before = sha(vault);
    expect(spawnSync('mount', ['-o', 'remount,ro', mountPoint]).status).toBe(0);
    try {
      expect(await ok(alice(['--read-only', 'secret', 'get', 'k']))).toBe('medium-value-1\n');
      const got = await alice(['secret', 'get', 'k']);
      expect([got.code, got.stdout]).toEqual([0, 'medium-value-1\n']);
      expect(got.stderr).toMatch(/the folder holding the vault is read-only: reading a copy of the vault in memory/);
      const add = await alice(['secret', 'add', 'api-key', 'k2', '--header', 'X-Key', '--value-stdin'], 'medium-value-2');
      expect(add.code).toBe(8);
      expect(errorLine(add.stderr).code).toBe('LOCKED');
      expect(sha(vault)).toBe(before);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
  });
});

