/** How well a name matches a search, best first: the whole name, its start, the start of one of its words, anywhere. */
export const EXACT = 0;
export const PREFIX = 1;
export const WORD_START = 2;
export const ANYWHERE = 3;
export const MATCH_RANKS = 4;

/**
 * Whether a character code continues a word: ASCII letters and digits, and anything past ASCII
 * (accented letters, scripts without case). A code test, not a Unicode regex: it runs for most of
 * 100,000 names when the search is one letter.
 */
export function continuesWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code > 127;
}
