import type { SecretType } from '../../../../shared/schemas/secret-types';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import { useCertificateFields } from './CertificateForm';
import { usePairsFields } from './KeyValueForm';
import { useTextFields } from './TextFieldsForm';
import type { TypeDraft } from './TypeDraft';

/**
 * The form of each type. All are kept while the dialog is open, so what was entered for one type is
 * still there after choosing another and coming back.
 */
export function useTypeDrafts(errors: FieldErrorsState): Record<SecretType, TypeDraft> {
  const text = useTextFields(errors);
  const certificate = useCertificateFields(errors);
  const pairs = usePairsFields(errors);
  return {
    'api-key': text('api-key'),
    'bearer-token': text('bearer-token'),
    'client-credentials': text('client-credentials'),
    certificate,
    'key-value': pairs,
  };
}
