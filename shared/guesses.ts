/**
 * How long a door reachable by other local programs (browser mode) holds back a password attempt
 * after `failures` failed ones in a row: 250 ms, doubling up to 5 s (SECURITY.md). The door waits
 * this long; the unlock screen counts it down, so that the pause is not mistaken for a hang.
 */
export function guessWaitMs(failures: number): number {
  return failures > 0 ? Math.min(250 * 2 ** (failures - 1), 5000) : 0;
}
