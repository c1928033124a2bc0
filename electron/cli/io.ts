import { readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CofferError } from '../../shared/errors';

/** The longest stdin line for a password or a passphrase: 1024 characters (the schema's most) of up to 4 bytes. */
export const LINE_MAX_BYTES = 4 * 1024;

/** One byte of stdin into `into[at]`; false at its end (or when there is no stdin to read). */
function readStdinByte(into: Buffer, at: number): boolean {
  for (;;) {
    try {
      return readSync(0, into, at, 1, null) === 1;
    } catch (e) {
      // A non-blocking stdin (a parent's pipe) has nothing yet: wait for it rather than take it for the end.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Stdin one line at a time, byte by byte up to its newline and never further: a stream that does
 * not end (`yes pw | coffer --password-stdin …`) costs the lines the command asks for, a line past
 * its limit is refused without reading the rest of it, and what follows is left on stdin (for the
 * program `coffer run` starts, for one).
 */
class StdinLines {
  private ended = false;

  /** The next line without its line ending, or undefined at the end of stdin. */
  next(maxBytes: number, what: string, field: string): string | undefined {
    if (this.ended) return undefined;
    // Room for a CR before the newline, and one byte more to tell a line that is too long.
    const buf = Buffer.alloc(maxBytes + 2);
    let n = 0;
    for (;;) {
      if (n === buf.length) throw new CofferError('VALIDATION', `${what} on stdin is longer than ${maxBytes} bytes`, field);
      if (!readStdinByte(buf, n)) {
        this.ended = true;
        if (n === 0) return undefined;
        break;
      }
      if (buf[n] === 0x0a) break;
      n++;
    }
    const end = n > 0 && buf[n - 1] === 0x0d ? n - 1 : n;
    if (end > maxBytes) throw new CofferError('VALIDATION', `${what} on stdin is longer than ${maxBytes} bytes`, field);
    return buf.toString('utf8', 0, end);
  }
}

/**
 * Secrets enter the CLI by stdin lines or a prompt without echo, never by argv (docs/cli.md).
 * With --password-stdin the first line is the password and later lines are further secrets,
 * taken in the order the command asks for them.
 */
export class SecretInput {
  private readonly stdin = new StdinLines();

  constructor(private readonly passwordFromStdin: boolean) {}

  private nextLine(what: string, field: string, maxBytes: number): string {
    const line = this.stdin.next(maxBytes, what, field);
    if (line === undefined) throw new CofferError('VALIDATION', `expected ${what} on the next line of stdin`, field);
    return line;
  }

  /** A secret from the next stdin line (at most `maxBytes`) when `fromStdin`, else a hidden prompt on the terminal. */
  async secret(what: string, field: string, fromStdin: boolean, maxBytes = LINE_MAX_BYTES): Promise<string> {
    if (fromStdin) return this.nextLine(what, field, maxBytes);
    if (!process.stdin.isTTY) {
      throw new CofferError('VALIDATION', `no terminal to ask for ${what}: pass it on stdin (--password-stdin / --value-stdin)`, field);
    }
    const label = what.replace(/^the /, '');
    return promptHidden(`${label[0]!.toUpperCase()}${label.slice(1)}: `);
  }

  password(what = 'the password'): Promise<string> {
    return this.secret(what, 'password', this.passwordFromStdin);
  }

  /** A new password: from stdin once, or typed twice on a terminal. */
  async newPassword(what = 'the new password'): Promise<string> {
    const first = await this.password(what);
    if (this.passwordFromStdin) return first;
    const again = await promptHidden('Repeat it: ');
    if (again !== first) throw new CofferError('VALIDATION', 'the two passwords differ', 'password');
    return first;
  }
}

async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = new Promise<string>((resolve) => rl.question(question, resolve));
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
