import type { SecretDetail } from '../../../../shared/schemas/secrets';
import type { SecretType } from '../../../../shared/schemas/secret-types';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import { useEditCertificateFields } from './EditCertificateFields';
import { useEditPairsFields } from './EditPairsFields';
import { useEditTextFields } from './EditTextFields';
import type { TypeEdit } from './TypeEdit';

/** The edit form of the secret's type (each hook runs every time, as hooks must; only its type's is used). */
export function useTypeEdit(detail: SecretDetail, errors: FieldErrorsState): TypeEdit {
  const text = useEditTextFields(detail, errors);
  const certificate = useEditCertificateFields(detail, errors);
  const pairs = useEditPairsFields(detail, errors);
  const byType: Record<SecretType, TypeEdit> = {
    'api-key': text,
    'bearer-token': text,
    'client-credentials': text,
    certificate,
    'key-value': pairs,
  };
  return byType[detail.type];
}
