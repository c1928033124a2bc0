/** The core's one clock (docs/architecture.md "Conventions the code follows"): lifecycle tests move it, nothing else reads Date.now(). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const DAY_MS = 24 * 60 * 60 * 1000;

/** An Expiration Date as people write it (`YYYY-MM-DD`, UTC) and the instant it starts. */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const dayStart = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`);
