import { CofferError } from '../../../../shared/errors';

/** A field longer than this is no password manager's export: refused before it eats the memory. */
const MAX_FIELD = 4 * 1024 * 1024;

/**
 * An RFC 4180 reader fed text a chunk at a time, handing over each record as it ends. Written here
 * rather than taken from csv-parse: the import reads inside one synchronous SQLite transaction,
 * and csv-parse streams only asynchronously (its sync API takes the whole text). Lenient where
 * exports are sloppy: a quote inside an unquoted field, or text after a closing quote, is kept.
 */
export class CsvReader {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Just read a quote inside a quoted field: the next one escapes it or the field closes. */
  private quoteSeen = false;
  private wasQuoted = false;
  private cr = false;
  private prevCr = false;
  private line = 1;
  private recordLine = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  write(text: string): void {
    let start = 0;
    const flush = (i: number) => {
      this.field += text.slice(start, i);
      if (this.field.length > MAX_FIELD) throw new CofferError('VALIDATION', `line ${this.recordLine}: a field is larger than 4 MiB`, 'file');
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // CR, LF and CRLF each end one line.
      if ((c === 10 && !this.prevCr) || c === 13) this.line++;
      this.prevCr = c === 13;
      if (c === 10 && this.cr) {
        // The LF of a CRLF that ended a record on the CR.
        this.cr = false;
        start = i + 1;
        continue;
      }
      this.cr = false;
      if (this.quoted) {
        if (c === 34) {
          flush(i);
          start = i + 1;
          this.quoted = false;
          this.quoteSeen = true;
        }
        continue;
      }
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === 34) {
          // `""` inside quotes: one quote, and still quoted.
          this.field += '"';
          start = i + 1;
          this.quoted = true;
          continue;
        }
      }
      if (c === 34 && this.field.length === 0 && i === start && !this.wasQuoted) {
        start = i + 1;
        this.quoted = true;
        this.wasQuoted = true;
      } else if (c === 44) {
        flush(i);
        start = i + 1;
        this.endField();
      } else if (c === 10 || c === 13) {
        flush(i);
        start = i + 1;
        this.endField();
        this.endRecord();
        this.cr = c === 13;
      }
    }
    flush(text.length);
  }

  /** The end of the text: a record without a final newline ends here; an open quote is an error. */
  end(): void {
    if (this.quoted) throw new CofferError('VALIDATION', `line ${this.recordLine}: a quoted field is never closed`, 'file');
    if (this.field.length > 0 || this.record.length > 0 || this.wasQuoted) {
      this.endField();
      this.endRecord();
    }
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.wasQuoted = false;
    this.quoteSeen = false;
  }

  private endRecord(): void {
    const fields = this.record;
    this.record = [];
    const line = this.recordLine;
    this.recordLine = this.line;
    // A blank line is no record.
    if (fields.length === 1 && fields[0] === '') return;
    this.onRecord(fields, line);
  }
}

/** Parses one line of text as a CSV record (the header, for detection). */
export function csvLine(text: string): string[] {
  let out: string[] = [];
  const r = new CsvReader((f) => {
    if (out.length === 0) out = f;
  });
  r.write(text.split(/\r?\n/)[0] ?? '');
  r.end();
  return out;
}
