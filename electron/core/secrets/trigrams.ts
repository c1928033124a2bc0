/**
 * Which names of one sorted order hold each run of three characters, so that a search of three or
 * more characters looks only at the names holding its rarest runs instead of sweeping all the text
 * (docs/benchmark.md, "Search by trigrams"). Runs are hashed into a fixed number of buckets: two
 * runs sharing a bucket only add candidates, which the caller checks, so no name is ever missed.
 */

// 65,536 buckets: more cost the build in cache misses; fewer put more runs in one bucket.
const BUCKET_BITS = 16;
const BUCKETS = 1 << BUCKET_BITS;
const TRIGRAM = 3;
/** An intersection that keeps more than this share of the candidates ends the narrowing (see `candidates`)... */
const KEPT_NEARLY_ALL = 0.9;
/**
 * ...once the runs taken cover the needle, or once the candidates are this share of the names:
 * confirming that many costs about a sweep at most, and narrowing them ~0.1 ms a run at 100,000
 * (`credential` would take four runs to cover).
 */
const MANY = 1 / 16;

/** The bucket of a run of three UTF-16 units. */
const hash = (a: number, b: number, c: number): number => Math.imul(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ c, 0xc2b2ae35) >>> (32 - BUCKET_BITS);

/** The bucket of the run of three UTF-16 units ending at `at`. */
const bucketAt = (text: string, at: number): number => hash(text.charCodeAt(at - 2), text.charCodeAt(at - 1), text.charCodeAt(at));

/**
 * Each name's runs, each bucket once per name, names in order: counted into `at[bucket + 1]`, or,
 * given `positions`, written there at `at[bucket]`, which moves on. One loop for both passes: a
 * callback per run instead cost several times the loop.
 */
function eachRun(text: string, starts: Int32Array, at: Int32Array, positions?: Int32Array): void {
  const last = new Int32Array(BUCKETS).fill(-1);
  const names = starts.length - 1;
  for (let p = 0; p < names; p++) {
    const end = starts[p + 1]! - 1;
    let i = starts[p]!;
    if (end - i < TRIGRAM) continue;
    // The run slides one unit at a time: each unit is read once.
    let a = text.charCodeAt(i++);
    let b = text.charCodeAt(i++);
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const bucket = hash(a, b, c);
      a = b;
      b = c;
      if (last[bucket] === p) continue;
      last[bucket] = p;
      if (positions) positions[at[bucket]!++] = p;
      else at[bucket + 1]!++;
    }
  }
}

export class Trigrams {
  private buffer = new Int32Array(0);

  private constructor(
    /** How many names the order holds. */
    private readonly names: number,
    /** Where each bucket's positions begin in `positions`; one more entry than buckets. */
    private readonly offsets: Int32Array,
    /** Per bucket, the positions (in the order) of the names holding one of its runs, ascending, each once. */
    private readonly positions: Int32Array,
  ) {}

  /** Of `text`, names joined by one separator each, name `i` starting at `starts[i]` (the last entry is the end). */
  static of(text: string, starts: Int32Array): Trigrams {
    const offsets = new Int32Array(BUCKETS + 1);
    eachRun(text, starts, offsets);
    for (let k = 0; k < BUCKETS; k++) offsets[k + 1]! += offsets[k]!;
    const positions = new Int32Array(offsets[BUCKETS]!);
    eachRun(text, starts, offsets.slice(0, BUCKETS), positions);
    return new Trigrams(starts.length - 1, offsets, positions);
  }

  /**
   * Positions whose name may hold `needle`, ascending: those named by its rarest run, narrowed by
   * each next run that shares the fewest characters with the runs taken (the rarest of those), until
   * fewer than `enough` remain, or until a run keeps nearly all once the runs taken cover the needle
   * or many remain. Overlapping runs hold the same word and keep the same names: taken by size
   * alone, `ay-stream` stopped at the 5,481 names holding `tre` and `rea`, of which 150 hold it, and
   * confirming those in the text cost a sweep (~2.4 ms at 100,000); `y-s`, sharing nothing with
   * `tre`, leaves 766. Every name that holds the needle is among them; undefined for a needle
   * shorter than a run. A view of a buffer the next call reuses.
   */
  candidates(needle: string, enough: number): Int32Array | undefined {
    if (needle.length < TRIGRAM) return undefined;
    const runs: { start: number; bucket: number }[] = [];
    for (let at = TRIGRAM - 1; at < needle.length; at++) runs.push({ start: at - (TRIGRAM - 1), bucket: bucketAt(needle, at) });
    const covered = new Uint8Array(needle.length);
    let uncovered = needle.length;
    const shared = (r: { start: number }) => covered[r.start]! + covered[r.start + 1]! + covered[r.start + 2]!;
    const taken = new Set<number>();
    let found: Int32Array | undefined;
    while (runs.length > 0 && (found === undefined || found.length >= enough)) {
      let k = 0;
      for (let j = 1; j < runs.length; j++) {
        const d = shared(runs[j]!) - shared(runs[k]!);
        if (d < 0 || (d === 0 && this.size(runs[j]!.bucket) < this.size(runs[k]!.bucket))) k = j;
      }
      const run = runs.splice(k, 1)[0]!;
      uncovered -= TRIGRAM - shared(run);
      covered.fill(1, run.start, run.start + TRIGRAM);
      if (taken.has(run.bucket)) continue;
      taken.add(run.bucket);
      if (!found) {
        found = this.postings(run.bucket);
        continue;
      }
      const before = found.length;
      found = intersect(found, this.postings(run.bucket), this.scratch(found.length));
      // The last run kept nearly all: the names hold the needle, and more runs would keep them too.
      if (found.length > before * KEPT_NEARLY_ALL && (uncovered === 0 || found.length >= this.names * MANY)) break;
    }
    return found;
  }

  private size(b: number): number {
    return this.offsets[b + 1]! - this.offsets[b]!;
  }

  private postings(b: number): Int32Array {
    return this.positions.subarray(this.offsets[b]!, this.offsets[b + 1]!);
  }

  private scratch(n: number): Int32Array {
    if (this.buffer.length < n) this.buffer = new Int32Array(n);
    return this.buffer;
  }
}

/**
 * The positions in both ascending lists, ascending, written into `out`. `out` may be `a` itself:
 * each position is written at or before where it was read.
 */
function intersect(a: Int32Array, b: Int32Array, out: Int32Array): Int32Array {
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

/**
 * Writes into `out` the candidates (ascending positions, as `candidates` gives them) whose name
 * holds `needle`, checked in the names' text from each one's start; returns how many. An
 * occurrence found beyond a candidate answers the candidates before it too, so the text is read at
 * most once, and little of it when the candidates are dense (one name's own string, scattered in
 * memory, costs more to reach than the text).
 */
export function confirm(text: string, starts: Int32Array, candidates: Int32Array, needle: string, out: Int32Array): number {
  let n = 0;
  let next = -1;
  for (const position of candidates) {
    const start = starts[position]!;
    if (next < start) next = text.indexOf(needle, start);
    if (next === -1) break;
    if (next < starts[position + 1]!) out[n++] = position;
  }
  return n;
}

