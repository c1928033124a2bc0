import { CofferError } from '../../../shared/errors';
import type { SecretReference } from './references';
import { REFERENCE_PREFIX, parseReference } from './references';

/**
 * A template for `coffer inject` is any text in which `{{ coffer://… }}` tokens stand for values:
 * `{{`, optional spaces or tabs, one reference, optional spaces or tabs, `}}`, on one line. Every
 * other byte is copied as it is, bare `coffer://` text included (a comment may mention one), and so
 * is any other `{{ … }}`, which belongs to whatever template language the file also uses. A `{{`
 * that opens a reference but is not a whole token is an error rather than text left in place: a
 * typo must not ship a config file with a hole in it.
 */
export interface TemplateToken {
  reference: SecretReference;
  /** 1-based, for errors that must point at the token without quoting any value. */
  line: number;
}

export interface Template {
  /** The text around the tokens: one more piece than there are tokens. */
  literals: string[];
  tokens: TemplateToken[];
}

/** A token's start: the reference itself, which cannot hold `}` or whitespace, runs to the `}}`. */
const OPENER = /\{\{[ \t]*(?=coffer:\/\/)/g;

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

export function parseTemplate(text: string): Template {
  const literals: string[] = [];
  const tokens: TemplateToken[] = [];
  let copied = 0;
  for (const open of text.matchAll(OPENER)) {
    const start = open.index + open[0].length;
    const line = lineAt(text, open.index);
    const close = text.indexOf('}}', start);
    const eol = text.indexOf('\n', start);
    if (close < 0 || (eol >= 0 && eol < close)) throw new CofferError('VALIDATION', `line ${line}: a {{ ${REFERENCE_PREFIX}… token is not closed by }} on its line`, 'template');
    let reference: SecretReference;
    try {
      reference = parseReference(text.slice(start, close).replace(/[ \t]+$/, ''));
    } catch (e) {
      if (e instanceof CofferError) throw new CofferError(e.code, `line ${line}: ${e.message}`, 'template');
      throw e;
    }
    literals.push(text.slice(copied, open.index));
    tokens.push({ reference, line });
    copied = close + 2;
  }
  literals.push(text.slice(copied));
  return { literals, tokens };
}

/** The template with each token replaced by its value, `values` in token order. */
export function fillTemplate(t: Template, values: readonly string[]): string {
  return t.literals.reduce((out, literal, i) => (i === 0 ? literal : out + values[i - 1]! + literal), '');
}
