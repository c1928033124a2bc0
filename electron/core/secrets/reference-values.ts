import { CofferError } from '../../../shared/errors';
import type { Session } from '../vault/session';
import { readSecretFields, resolveSecret } from './reading';
import { readRecording } from './recording';
import type { SecretReference } from './references';
import type { UseVia } from './usage';

/** One place that asks for a value: a variable of `coffer run`, a token of a template. */
export interface ReferenceUse {
  reference: SecretReference;
  /** Starts each error about this use: the variable's name, `line 3`. */
  where: string;
  /** The error's field: the variable, or the template. */
  field: string;
}

/** An error about one use, saying which: a pipeline's log then names the variable (errors never hold a value). */
function about(use: ReferenceUse, e: unknown): unknown {
  return e instanceof CofferError ? new CofferError(e.code, `${use.where} (${use.reference.text}): ${e.message}`, use.field) : e;
}

/**
 * The value of every use, in order. Each secret is read once however many uses name it, and so
 * recorded once, as `use` says (`coffer run` or `coffer inject`, with its command or template). All of it is one transaction: when one reference fails, no use
 * of the others is recorded either, and the caller starts nothing.
 */
export function readReferences(s: Session, uses: readonly ReferenceUse[], use: UseVia): string[] {
  const readAll = () => {
    // Grouped by id, not by spelling: two references may name one secret with another case or escape.
    const byId = new Map<string, number[]>();
    for (const [i, use] of uses.entries()) {
      let id: string;
      try {
        id = resolveSecret(s, use.reference.place).id;
      } catch (e) {
        throw about(use, e);
      }
      byId.set(id, [...(byId.get(id) ?? []), i]);
    }
    const values = new Array<string>(uses.length);
    for (const [id, indexes] of byId) {
      let current = indexes[0]!;
      try {
        readSecretFields(s, { id }, { use }, (valueOf) => {
          for (const i of indexes) {
            current = i;
            values[i] = valueOf(uses[i]!.reference.field);
          }
        });
      } catch (e) {
        throw about(uses[current]!, e);
      }
    }
    return values;
  };
  return readRecording(s, readAll);
}
