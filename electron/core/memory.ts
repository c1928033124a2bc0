import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection, for a long-running door once its session is locked (SECURITY.md,
 * "Memory"). The dropped listing's decrypted names and ids, and the strings a session made, are
 * then reclaimed at once instead of whenever V8 next decides: their memory is reused sooner, and
 * the next unlock builds its listing in a heap that no longer holds the last one (browser mode's
 * peak at 100,000 secrets over a few unlocks, docs/benchmark.md, "Collecting at lock"). Never in
 * the CLI, whose process ends with its command. Node exposes `gc` only behind a flag; setting it
 * at run time and taking the function from a fresh context is the way it offers without one.
 */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
