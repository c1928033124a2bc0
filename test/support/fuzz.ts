/**
 * How many inputs a fuzzer tries: `npm test` runs each at 1, `npm run soak` at 10
 * (COFFER_FUZZ_SCALE), for before a release or after a change to what the fuzzer covers.
 */
export const FUZZ_SCALE = Number(process.env.COFFER_FUZZ_SCALE ?? 1);

/** `n` inputs at this run's scale. */
export const fuzzRuns = (n: number): number => Math.ceil(n * FUZZ_SCALE);
