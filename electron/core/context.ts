import type { RandomSource } from './crypto/random';
import { systemRandom } from './crypto/random';
import type { Clock } from './lifecycle/clock';
import { systemClock } from './lifecycle/clock';

/** What the core takes from the outside world, injected so tests move time and reproduce randomness. */
export interface CoreContext {
  clock: Clock;
  random: RandomSource;
}

export const defaultContext = (overrides: Partial<CoreContext> = {}): CoreContext => ({
  clock: overrides.clock ?? systemClock,
  random: overrides.random ?? systemRandom,
});
