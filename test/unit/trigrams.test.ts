import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trigrams, confirm } from '../../electron/core/secrets/trigrams';

/** Names joined as the listing index joins them (secret-index.ts, `haystack`). */
function haystack(names: string[]) {
  const starts = new Int32Array(names.length + 1);
  let at = 0;
  names.forEach((n, i) => {
    starts[i] = at;
    at += n.length + 1;
  });
  starts[names.length] = at;
  return { text: names.join('\n'), starts };
}

const holding = (names: string[], needle: string) => names.flatMap((n, i) => (n.includes(needle) ? [i] : []));

// Few letters, so runs repeat across names and within one; astral characters, so a run can split a pair.
const letter = fc.constantFrom('a', 'b', 'c', '-', ' ', 'é', '🔑', 'z');
const name = fc.string({ unit: letter, maxLength: 14 }).filter((n) => !n.includes('\n'));

describe('trigram candidates', () => {
  it('are confirmed in the text exactly: a name followed by one that starts with the needle does not hold it', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), fc.string({ unit: letter, minLength: 1, maxLength: 4 }), fc.func(fc.boolean()), (names, needle, dropFalse) => {
        const { text, starts } = haystack(names);
        const holders = new Set(holding(names, needle));
        // Every holder, and some of the others, as hashed trigrams would name them.
        const candidates = Int32Array.from(names.flatMap((_, i) => (holders.has(i) || !dropFalse(i) ? [i] : [])));
        const out = new Int32Array(names.length);
        expect([...out.subarray(0, confirm(text, starts, candidates, needle, out))]).toEqual([...holders]);
      }),
      { numRuns: 500 },
    );
  });

  it('name every position whose name holds the needle, ascending and once, whatever is asked of them', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), fc.array(fc.oneof(name, fc.string({ unit: letter, minLength: 3, maxLength: 5 })), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 40 }), (names, needles, enough) => {
        const { text, starts } = haystack(names);
        const trigrams = Trigrams.of(text, starts);
        for (const needle of needles) {
          const found = trigrams.candidates(needle, enough);
          if (needle.length < 3) {
            expect(found).toBeUndefined();
            continue;
          }
          const list = [...found!];
          expect(list).toEqual([...new Set(list)].sort((a, b) => a - b));
          for (const i of holding(names, needle)) expect(list).toContain(i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('narrow a rare needle to the names that hold it: the rarest run, then the next, until few remain', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `service-${i % 50}-prod-${i}`);
    names[1234] = 'payments-webhook-secret';
    const { text, starts } = haystack(names);
    const trigrams = Trigrams.of(text, starts);
    expect([...trigrams.candidates('webhook', 16)!]).toEqual([1234]);
    // A needle all the others hold keeps them all: candidates are never fewer than the names holding it.
    expect(trigrams.candidates('-prod-', 16)!.length).toBe(4999);
  });

  it('narrow until the runs taken cover the needle: a common word does not hide the rare junction before it', () => {
    // 250 names hold `stream`, ~2,000 `ay-` and `y-s`, 50 `ay-stream`: each run of `stream` is rarer than the junction's.
    const names = Array.from({ length: 10_000 }, (_, i) =>
      i % 200 === 0 ? `gateway-stream-${i}` : i % 40 === 0 ? `queue-stream-${i}` : i % 10 < 2 ? `relay-sync-${i}` : `other-name-${i}`,
    );
    const { text, starts } = haystack(names);
    const trigrams = Trigrams.of(text, starts);
    // Two runs of `stream` keep each other's 250 names; the narrowing stopped there before it reached `ay-`.
    expect([...trigrams.candidates('ay-stream', 16)!]).toEqual(holding(names, 'ay-stream'));
  });
});
