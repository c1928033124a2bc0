import { CofferError } from '../../../shared/errors';
import type { Level } from '../../../shared/schemas/secrets';

/**
 * A reference names one field of one secret, so that a pipeline can say which value it needs
 * without holding it (`coffer run`, `coffer inject`; docs/cli.md "Secrets in pipelines"):
 *
 *   coffer://personal/NAME[#FIELD]
 *   coffer://workspace/WORKSPACE/NAME[#FIELD]
 *   coffer://organization/NAME[#FIELD]
 *
 * The place is always spelled out, so a reference never depends on which other secrets share its
 * name. Without `#FIELD` it is the secret's main value, as `secret get` prints it. Each part is
 * percent-decoded as UTF-8; a space, `/`, `#`, `?`, `{`, `}` or `%` inside a part must be encoded,
 * which keeps a reference one unbroken word in a `.env` line or a template.
 */
export const REFERENCE_PREFIX = 'coffer://';

export interface SecretReference {
  /** As written: references are not secret, so errors quote them. */
  text: string;
  place: { level: Level; workspace?: string; name: string };
  /** Undefined for the main value. */
  field?: string;
}

/** How many parts follow each level: the workspace's name, then the secret's. */
const PARTS: Record<Level, number> = { personal: 1, workspace: 2, organization: 1 };

/** One part, raw: anything but whitespace, controls and the delimiters, or a %XX escape. */
const RAW_PART = /^(?:[^\s\p{Cc}/#?{}%]|%[0-9A-Fa-f]{2})+$/u;

export const isReference = (text: string): boolean => text.startsWith(REFERENCE_PREFIX);

export function parseReference(text: string): SecretReference {
  const fail = (why: string): never => {
    throw new CofferError('VALIDATION', `"${text}" is not a valid reference: ${why}`, 'reference');
  };
  if (!isReference(text)) fail(`it must start with ${REFERENCE_PREFIX}`);
  const rest = text.slice(REFERENCE_PREFIX.length);
  const hash = rest.indexOf('#');
  const [level, ...parts] = (hash < 0 ? rest : rest.slice(0, hash)).split('/');
  if (!Object.hasOwn(PARTS, level!)) fail('the place must be personal/NAME, workspace/WORKSPACE/NAME or organization/NAME');
  const lvl = level as Level;
  if (parts.length !== PARTS[lvl]) fail(`expected coffer://${lvl === 'workspace' ? 'workspace/WORKSPACE' : lvl}/NAME`);

  const decode = (raw: string, what: string): string => {
    if (raw === '') fail(`the ${what} is empty`);
    if (!RAW_PART.test(raw)) fail(`the ${what} holds a character that must be percent-encoded (whitespace / # ? { } %)`);
    let decoded = '';
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      fail(`the ${what} is not valid UTF-8 once percent-decoded`);
    }
    if (decoded.trim() === '') fail(`the ${what} is empty`);
    return decoded;
  };
  const name = decode(parts[parts.length - 1]!, 'secret name');
  const workspace = lvl === 'workspace' ? decode(parts[0]!, 'workspace name') : undefined;
  const field = hash < 0 ? undefined : decode(rest.slice(hash + 1), 'field');
  return { text, place: { level: lvl, workspace, name }, field };
}
