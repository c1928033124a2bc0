/** The core's one clock (docs/architecture.md "Conventions the code follows"): lifecycle tests move it, nothing else reads Date.now(). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const DAY_MS = 24 * 60 * 60 * 1000;
