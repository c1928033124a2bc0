import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CofferError } from '../../shared/errors';

/**
 * Secrets enter the CLI by stdin lines or a prompt without echo, never by argv (docs/cli.md).
 * With --password-stdin the first line is the password and later lines are further secrets,
 * taken in the order the command asks for them.
 */
export class SecretInput {
  private lines: string[] | undefined;

  constructor(private readonly passwordFromStdin: boolean) {}

  private readLines(): string[] {
    if (!this.lines) {
      let text = '';
      try {
        text = readFileSync(0, 'utf8');
      } catch {
        text = '';
      }
      const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      this.lines = lines;
    }
    return this.lines;
  }

  private nextLine(what: string, field: string): string {
    const line = this.readLines().shift();
    if (line === undefined) throw new CofferError('VALIDATION', `expected ${what} on the next line of stdin`, field);
    return line;
  }

  /** A secret from the next stdin line when `fromStdin`, else a hidden prompt on the terminal. */
  async secret(what: string, field: string, fromStdin: boolean): Promise<string> {
    if (fromStdin) return this.nextLine(what, field);
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
