import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDotenv, parseDotenv, parseJsonPairs, parsePairsFile } from '../../shared/dotenv';

const invalid = expect.objectContaining({ code: 'VALIDATION', field: 'pairs' });

describe('parseDotenv', () => {
  it('reads KEY=VALUE lines, skipping blank lines and comments, with CRLF too', () => {
    const text = '# database\r\nDB_USER=app\r\n\r\n  # indented comment\nDB_PASS = s3cret \n';
    expect(parseDotenv(text)).toEqual([
      { key: 'DB_USER', value: 'app' },
      { key: 'DB_PASS', value: 's3cret' },
    ]);
  });

  it('drops a leading export and a trailing comment of an unquoted value', () => {
    expect(parseDotenv('export TOKEN=abc # rotated monthly')).toEqual([{ key: 'TOKEN', value: 'abc' }]);
    // A # without a space before it belongs to the value.
    expect(parseDotenv('URL=https://example.com/#frag')).toEqual([{ key: 'URL', value: 'https://example.com/#frag' }]);
  });

  it('keeps "=" inside values and allows empty values', () => {
    expect(parseDotenv('B64=YWJj==\nEMPTY=')).toEqual([
      { key: 'B64', value: 'YWJj==' },
      { key: 'EMPTY', value: '' },
    ]);
  });

  it('unescapes double quotes and keeps single quotes literal', () => {
    expect(parseDotenv('A="line 1\\nline 2"\nB=\'no \\n escape\'\nC="say \\"hi\\"" # note\nD="back\\\\slash"')).toEqual([
      { key: 'A', value: 'line 1\nline 2' },
      { key: 'B', value: 'no \\n escape' },
      { key: 'C', value: 'say "hi"' },
      { key: 'D', value: 'back\\slash' },
    ]);
  });

  it('reads an escaped backslash before an n as a backslash and an n', () => {
    expect(parseDotenv('P="C:\\\\new"')).toEqual([{ key: 'P', value: 'C:\\new' }]);
  });

  it('names the line of a malformed entry, on field pairs', () => {
    expect(() => parseDotenv('A=1\njust words\n')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'pairs', message: 'line 2 is not KEY=VALUE' }));
    expect(() => parseDotenv('=value')).toThrow(invalid);
    expect(() => parseDotenv('A="open')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'pairs', message: 'line 1: unterminated quote' }));
  });
});

describe('parseJsonPairs', () => {
  it('reads a flat object; numbers and booleans become text', () => {
    expect(parseJsonPairs('{"A":"x","PORT":5432,"DEBUG":false}')).toEqual([
      { key: 'A', value: 'x' },
      { key: 'PORT', value: '5432' },
      { key: 'DEBUG', value: 'false' },
    ]);
  });

  it.each([
    ['not JSON', '{A:1}'],
    ['an array', '["a"]'],
    ['null', 'null'],
    ['a nested object', '{"A":{"B":1}}'],
    ['a null value', '{"A":null}'],
  ])('refuses %s on field pairs', (_what, text) => {
    expect(() => parseJsonPairs(text)).toThrow(invalid);
  });
});

describe('parsePairsFile', () => {
  it('chooses JSON by extension, .env for anything else', () => {
    expect(parsePairsFile('settings.JSON', '{"A":"1"}')).toEqual([{ key: 'A', value: '1' }]);
    expect(parsePairsFile('.env.production', 'A=1')).toEqual([{ key: 'A', value: '1' }]);
    expect(() => parsePairsFile('x.env', '{"A":"1"}')).toThrow(invalid);
  });
});

describe('formatDotenv', () => {
  it('quotes only what needs quoting', () => {
    expect(formatDotenv([
      { key: 'A', value: 'plain-value_1.2/3:4@5+6' },
      { key: 'B', value: 'two words' },
      { key: 'C', value: 'multi\nline' },
      { key: 'D', value: '' },
    ])).toBe('A=plain-value_1.2/3:4@5+6\nB="two words"\nC="multi\\nline"\nD=');
  });

  it('round-trips through parseDotenv for any value', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
    // Mostly the characters quoting and escaping are about, so their combinations come up often.
    const tricky = fc.constantFrom('\\', 'n', '"', "'", ' ', '#', '=', '\n', '\t', 'a');
    const value = fc.oneof(fc.string({ unit: tricky, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 }));
    const pairs = fc.uniqueArray(fc.record({ key, value }), { selector: (p) => p.key, maxLength: 8 });
    fc.assert(
      fc.property(pairs, (ps) => {
        // A lone carriage return is a line break in no .env reader we follow; newlines are escaped.
        const clean = ps.map((p) => ({ key: p.key, value: p.value.replace(/\r/g, '') }));
        expect(parseDotenv(formatDotenv(clean))).toEqual(clean);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the values that mix backslashes, quotes and n', () => {
    for (const value of ['a\\nb', '\\', '\\\\n', '"\\"', 'end\\', '\\"n']) {
      expect(parseDotenv(formatDotenv([{ key: 'K', value }]))).toEqual([{ key: 'K', value }]);
    }
  });
});
