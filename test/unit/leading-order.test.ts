import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeLeading } from '../../electron/core/secrets/index-columns';

/** The two leading numbers of a key, compared as a pair: -1, 0 or 1. */
function comparePairs(a: string, b: string): number {
  const out = new Float64Array(4);
  writeLeading(a, out, 0);
  writeLeading(b, out, 2);
  const [ah, al, bh, bl] = out as unknown as [number, number, number, number];
  return ah !== bh ? Math.sign(ah - bh) : Math.sign(al - bl);
}

describe('writeLeading', () => {
  // What a first page by name relies on to pass over a key without reading its text (secret-index.ts, partialQuery).
  it('orders two keys as their text does wherever it tells them apart, and tells apart plain keys that differ in their first twelve units', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_ .'), maxLength: 16 });
    const any = fc.oneof(plain, fc.string({ maxLength: 14 }), fc.string({ unit: 'binary', maxLength: 14 }), fc.constantFrom('', 'a', '\u0000', '\u00fd', '\u00fe', '\u00ff', 'ab\u00fez', 'ab\u00fea', '\u00fez', '\u00ffa', '\uffff'.repeat(13)));
    const pairs = fc.oneof(fc.tuple(any, any), plain.chain((p) => fc.tuple(fc.constant(p), any.map((s) => p + s), any.map((s) => p + s))).map(([, a, b]) => [a, b] as const));
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const order = comparePairs(a, b);
        if (order < 0) expect(a < b).toBe(true);
        if (order > 0) expect(a > b).toBe(true);
        if (a.slice(0, 12) === b.slice(0, 12)) expect(order).toBe(0);
        const isPlain = (s: string) => [...s.slice(0, 12)].every((ch) => ch.charCodeAt(0) < 0xfe);
        if (isPlain(a) && isPlain(b) && a.slice(0, 12) !== b.slice(0, 12)) expect(order).not.toBe(0);
      }),
      { numRuns: 5000 },
    );
  });
});
