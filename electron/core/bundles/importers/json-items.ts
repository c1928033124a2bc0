/**
 * Cuts a JSON document of the shape {"key": value, …, "items": [item, item, …]} into its top-level
 * values and its items, one JSON.parse per item: a 100,000-item export is never one parsed tree, and
 * its bytes are never one string. It checks the document's outer shape itself; each value it hands
 * over is checked by JSON.parse.
 */
import { CofferError } from '../../../../shared/errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const NEWLINE = 0x0a;

const isSpace = (b: number) => b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;

export interface JsonItemHandlers {
  /** Which top-level values to hand over as text; the others are stepped over unkept. */
  wants(key: string): boolean;
  value(key: string, text: string, line: number): void;
  /** null: the items are stepped over unkept. */
  item: ((text: string, line: number) => void) | null;
}

/** Where the scanner stands between values: what the next byte that is not blank may be. */
type Phase = 'start' | 'firstKey' | 'key' | 'colon' | 'value' | 'next' | 'firstItem' | 'item' | 'nextItem' | 'done';

/** One value being stepped through: a key, a top-level value or an item. */
interface Value {
  kind: 'key' | 'value' | 'item';
  depth: number;
  inString: boolean;
  escape: boolean;
  scalar: boolean;
  /** The value's bytes when it is kept; a value may span blocks. */
  pieces: Buffer[] | null;
  start: number;
  line: number;
}

export class JsonItemScanner {
  private phase: Phase = 'start';
  private current: Value | null = null;
  private key = '';
  private line = 1;
  /** Whether the document had an "items" array at its top level. */
  sawItems = false;

  /** format: how errors name the file, "Bitwarden JSON". */
  constructor(
    private readonly handlers: JsonItemHandlers,
    private readonly format: string,
  ) {}

  private malformed(what: string, line = this.line): CofferError {
    return new CofferError('VALIDATION', `the ${this.format} is malformed at line ${line}: ${what}`, 'file');
  }

  feed(block: Buffer): void {
    let i = 0;
    while (i < block.length) {
      if (this.current) {
        i = this.scan(this.current, block, i);
        continue;
      }
      const b = block[i]!;
      if (b === NEWLINE) this.line++;
      if (!isSpace(b)) this.step(b, i);
      i++;
    }
    if (this.current?.pieces) this.current.pieces.push(block.subarray(this.current.start));
    if (this.current) this.current.start = 0;
  }

  end(): void {
    if (this.phase !== 'done') throw this.malformed('the file ends before the JSON does');
  }

  /** One byte that is not blank, between values. */
  private step(b: number, i: number): void {
    switch (this.phase) {
      case 'start':
        if (b !== OPEN_OBJECT) throw new CofferError('VALIDATION', `this file is not a ${this.format} export`, 'file');
        this.phase = 'firstKey';
        return;
      case 'firstKey':
      case 'key':
        if (b === CLOSE_OBJECT && this.phase === 'firstKey') this.phase = 'done';
        else if (b === QUOTE) this.begin('key', b, i);
        else throw this.malformed('a key was expected');
        return;
      case 'colon':
        if (b !== COLON) throw this.malformed('a colon was expected');
        this.phase = 'value';
        return;
      case 'value':
        if (this.key === 'items') this.openItems(b);
        else this.begin('value', b, i);
        return;
      case 'firstItem':
      case 'item':
        if (b === CLOSE_ARRAY && this.phase === 'firstItem') this.phase = 'next';
        else this.begin('item', b, i);
        return;
      case 'nextItem':
        return this.after(b, CLOSE_ARRAY, 'item');
      case 'next':
        return this.after(b, CLOSE_OBJECT, 'key');
      case 'done':
        throw this.malformed('there is more after the JSON');
    }
  }

  private openItems(b: number): void {
    if (b !== OPEN_ARRAY) throw this.malformed('"items" is not a list');
    this.sawItems = true;
    this.phase = 'firstItem';
  }

  /** After a value: a comma and the next one, or the close of the object or list it sits in. */
  private after(b: number, close: number, next: 'item' | 'key'): void {
    if (b === COMMA) this.phase = next;
    else if (b === close) this.phase = close === CLOSE_ARRAY ? 'next' : 'done';
    else throw this.malformed('a comma was expected');
  }

  /** A value's first byte: what kind of value it is. The scan goes on from the byte after it. */
  private begin(kind: Value['kind'], b: number, i: number): void {
    if (b === CLOSE_OBJECT || b === CLOSE_ARRAY || b === COMMA || b === COLON) {
      throw this.malformed('a value was expected');
    }
    const kept = kind === 'key' || (kind === 'item' ? this.handlers.item !== null : this.handlers.wants(this.key));
    const container = b === OPEN_OBJECT || b === OPEN_ARRAY;
    this.current = {
      kind,
      depth: container ? 1 : 0,
      inString: b === QUOTE,
      escape: false,
      scalar: !container && b !== QUOTE,
      pieces: kept ? [] : null,
      start: i,
      line: this.line,
    };
  }

  /** Steps through a value; returns where the bytes after it begin (block.length if it goes on). */
  private scan(v: Value, block: Buffer, from: number): number {
    let i = from;
    for (; i < block.length; i++) {
      const b = block[i]!;
      if (v.inString) {
        if (v.escape) v.escape = false;
        else if (b === BACKSLASH) v.escape = true;
        else if (b === QUOTE) {
          v.inString = false;
          if (v.depth === 0) return this.finish(v, block, i + 1);
        }
      } else if (v.scalar) {
        if (isSpace(b) || b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY) return this.finish(v, block, i);
      } else if (b === QUOTE) v.inString = true;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) v.depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (--v.depth === 0) return this.finish(v, block, i + 1);
      } else if (b === NEWLINE) this.line++;
    }
    return i;
  }

  private finish(v: Value, block: Buffer, end: number): number {
    this.current = null;
    const text = v.pieces ? Buffer.concat([...v.pieces, block.subarray(v.start, end)]).toString('utf8') : '';
    if (v.kind === 'key') {
      this.key = this.parseKey(text, v.line);
      this.phase = 'colon';
    } else if (v.kind === 'item') {
      this.handlers.item?.(text, v.line);
      this.phase = 'nextItem';
    } else {
      if (v.pieces) this.handlers.value(this.key, text, v.line);
      this.phase = 'next';
    }
    return end;
  }

  private parseKey(text: string, line: number): string {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw this.malformed('a key is not a valid JSON string', line);
    }
  }
}
