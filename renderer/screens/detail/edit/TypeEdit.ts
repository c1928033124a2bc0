import type { ReactNode } from 'react';
import type { EditSecretInput } from '../../../../shared/schemas/secrets';
import type { FieldErrors } from '../../../lib/errors';

export type EditedFields = NonNullable<EditSecretInput['fields']>;

/** The part of the edit form for the secret's type: its controls, and the changes they make. */
export interface TypeEdit {
  /** Only what changed, for `secrets.edit`; problems found on the way are added to `errors`. */
  changes(errors: FieldErrors): EditedFields;
  /** The error keys shown beside its controls; any other shows above the form. */
  shown: readonly string[];
  render(busy: boolean): ReactNode;
}
