/**
 * A child process for one piece of the bench: building a size's vault, measuring one core op (so
 * its peak RSS is that op's alone), or serving browser mode. Forked by runner.ts from dist/.
 */
import type { GeneratorOptions } from './generator';
import { buildFixture } from './generator';
import { peakRssMb } from './measure';
import type { OpContext, OpName, OpOutcome } from './ops';
import { opDef } from './ops';
import type { UiServer } from './ui';
import { serveInProcess } from './ui';

export type WorkerTask =
  | { task: 'fixture'; path: string; size: number; gen: GeneratorOptions }
  | { task: 'op'; op: OpName; ctx: OpContext }
  | { task: 'serve'; vaultPath: string; root: string };

export type ServeCommand = { cmd: 'lock' } | { cmd: 'stop' };

export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: string };

/** Measures one available core or cli op; the peak RSS is this process's unless the op measured another's. */
export async function measureOp(op: OpName, ctx: OpContext): Promise<OpOutcome> {
  const def = opDef(op);
  if (!('measure' in def)) throw new Error(`${op} cannot be measured here`);
  const out = await def.measure(ctx);
  return { ...out, peakRssMb: out.peakRssMb ?? peakRssMb() };
}

function reply(r: WorkerReply): Promise<void> {
  return new Promise((resolve) => process.send!(r, () => resolve()));
}

const failure = (e: unknown): WorkerReply => ({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });

async function main(task: WorkerTask): Promise<void> {
  if (task.task === 'serve') {
    let server: UiServer;
    try {
      server = await serveInProcess(task.vaultPath, task.root);
    } catch (e) {
      await reply(failure(e));
      process.exit(1);
    }
    process.on('message', (c: ServeCommand) => {
      const run = c.cmd === 'lock' ? server.lock().then(() => true) : server.stop();
      run.then(
        async (value) => {
          await reply({ ok: true, value });
          if (c.cmd === 'stop') process.exit(0);
        },
        async (e) => reply(failure(e)),
      );
    });
    await reply({ ok: true, value: server.url });
    return;
  }
  try {
    const value = task.task === 'fixture' ? await buildFixture(task.path, task.size, task.gen) : await measureOp(task.op, task.ctx);
    await reply({ ok: true, value });
    process.exit(0);
  } catch (e) {
    await reply(failure(e));
    process.exit(1);
  }
}

if (require.main === module && process.send) {
  process.once('message', (task: WorkerTask) => void main(task));
}
