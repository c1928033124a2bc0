import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import type { CofferResult, Member } from './run';
import { COFFER_BIN, PASSWORD, alongside, cleanEnv, coffer, errorLine, initVault, step, useTempDirs } from './run';

/**
 * Runs the CLI with a stdin that never ends (`yes LINE | coffer …`, or one line that never ends):
 * `chunk` is written again whenever the pipe takes it, until the process exits. Resolves with how
 * long that took; a process that read stdin to its end would never exit and be killed at 20 s.
 */
function withEndlessStdin(args: readonly string[], chunk: string, vault: string): Promise<CofferResult & { ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [COFFER_BIN, ...args], { env: cleanEnv({ COFFER_VAULT: vault, XDG_DATA_HOME: join(vault, '..', 'data') }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const block = chunk.repeat(Math.ceil(65536 / chunk.length));
    let exited = false;
    const feed = () => {
      while (!exited && child.stdin.write(block));
      if (!exited) child.stdin.once('drain', feed);
    };
    child.stdin.on('error', () => undefined);
    feed();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

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

  step('--password-stdin on a stdin that never ends reads its line and gets on with the command', async () => {
    const r = await withEndlessStdin(['--password-stdin', 'secret', 'list'], `${PASSWORD}\n`, alice.vault);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(10_000);
    const wrong = await withEndlessStdin(['--password-stdin', 'secret', 'list'], 'pw\n', alice.vault);
    expect(wrong.code).toBe(3);
  });

  step('a password line that never ends is refused at 4 KiB, without reading on', async () => {
    const r = await withEndlessStdin(['--password-stdin', 'secret', 'list'], 'x', alice.vault);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: 'the password for alice on stdin is longer than 4096 bytes', field: 'password' });
    expect(r.ms).toBeLessThan(10_000);
  });

  step('a value line is bounded by what a value may hold (64 KiB), and the value is never echoed', async () => {
    const line = `sk_${'v'.repeat(64 * 1024)}`;
    const r = await alice(['secret', 'add', 'api-key', 'huge', '--header', 'X-Key', '--value-stdin'], line);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: 'the value on stdin is longer than 65536 bytes', field: 'value' });
    expect(r.stderr).not.toContain('sk_v');
  });

  step('--file /dev/zero is refused at the field limit, naming the field', async () => {
    const r = await alice(['secret', 'add', 'key-value', 'zeros', '--file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(errorLine(r.stderr)).toEqual({ code: 'VALIDATION', message: '/dev/zero is larger than 1 MiB', field: 'pairs' });
  });

  step('--file on a FIFO whose writer never stops is refused the same way', async () => {
    const fifo = join(dir, 'endless.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    // The writer is a child of its own: it keeps writing until the reader goes away.
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(fifo)},'w');const b=Buffer.alloc(65536,120);try{for(;;)fs.writeSync(fd,b)}catch{}`]);
    try {
      const r = await alice(['secret', 'add', 'key-value', 'fifo', '--file', fifo]);
      expect(r.code).toBe(2);
      expect(errorLine(r.stderr)).toMatchObject({ code: 'VALIDATION', field: 'pairs' });
    } finally {
      writer.kill();
    }
  });

  step('a folder given to inspect or import is VALIDATION on the file, exit 2', async () => {
    const folder = join(dir, 'looks-like.cofferbundle');
    mkdirSync(folder);
    const inspect = await coffer(['inspect', folder], { env: { COFFER_VAULT: alice.vault } });
    expect(inspect.code).toBe(2);
    expect(errorLine(inspect.stderr)).toEqual({ code: 'VALIDATION', message: `${folder} is a folder, not a file`, field: 'file' });
    const imported = await alice(['import', folder]);
    expect(imported.code).toBe(2);
    expect(errorLine(imported.stderr)).toMatchObject({ code: 'VALIDATION', field: 'file' });
  });
});
