import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadingOrder } from '../../electron/core/secrets/index-columns';

describe('leadingOrder', () => {
  // What a first page by name relies on to pass over a key without reading its text (secret-index.ts, partialQuery).
  it('orders two keys as their text does wherever it tells them apart', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('', 'a', 'ab', 'abc', 'abcd', '\u0000', '\uffff\uffff\uffff'));
    fc.assert(
      fc.property(key, key, (a, b) => {
        const [x, y] = [leadingOrder(a), leadingOrder(b)];
        if (x < y) expect(a < b).toBe(true);
        if (x > y) expect(a > b).toBe(true);
        if (a.slice(0, 3) === b.slice(0, 3)) expect(x).toBe(y);
        else expect(x).not.toBe(y);
      }),
      { numRuns: 5000 },
    );
  });
});
