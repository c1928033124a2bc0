import { useState } from 'react';
import type { SecretDetail } from '../../../../shared/schemas/secrets';
import { SECRET_TYPE_DESCRIPTIONS, wrongExtension } from '../../../../shared/schemas/secret-types';
import { FileField } from '../../../components/form/FileField';
import type { FilePayload } from '../../../lib/files';
import { readFilePayload } from '../../../lib/files';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import type { EditedFields, TypeEdit } from './TypeEdit';

const [CERTIFICATE, PRIVATE_KEY] = SECRET_TYPE_DESCRIPTIONS.certificate.fields;

const chosen = (set: (file: FilePayload | null) => void) => (f: File | null) => void (f ? readFilePayload(f).then(set) : Promise.resolve(set(null)));

/** A new certificate, a new private key, or the stored key removed; the rest is read from the certificate. */
export function useEditCertificateFields(detail: SecretDetail, { errors }: FieldErrorsState): TypeEdit {
  const [certFile, setCertFile] = useState<FilePayload | null>(null);
  const [keyFile, setKeyFile] = useState<FilePayload | null>(null);
  const [removeKey, setRemoveKey] = useState(false);
  const hasKey = detail.fields.some((f) => f.key === PRIVATE_KEY.key);

  return {
    changes(errs) {
      const changed: EditedFields = {};
      if (certFile) changed.certificate = certFile;
      if (keyFile) {
        const wrong = wrongExtension(PRIVATE_KEY, keyFile.fileName);
        if (wrong) errs.privateKey = wrong;
        changed.privateKey = keyFile;
      } else if (removeKey) changed.privateKey = null;
      return changed;
    },
    shown: [CERTIFICATE.key, PRIVATE_KEY.key],
    render: (busy) => (
      <>
        <FileField
          id="edit-certificate"
          testId="certificate-file"
          label={`New ${CERTIFICATE.label}`}
          optional
          accept=".pem,.crt,.cer,.der"
          hint="Its Expiration Date is read from the file"
          error={errors.certificate}
          disabled={busy}
          onFile={chosen(setCertFile)}
        />
        <FileField
          id="edit-privateKey"
          testId="private-key-file"
          label={`New ${PRIVATE_KEY.label}`}
          optional
          accept={PRIVATE_KEY.extension}
          hint={PRIVATE_KEY.hint}
          error={errors.privateKey}
          disabled={busy || removeKey}
          onFile={chosen(setKeyFile)}
        />
        {hasKey && (
          <label className="check">
            <input type="checkbox" checked={removeKey} disabled={busy || keyFile !== null} onChange={(e) => setRemoveKey(e.target.checked)} />
            Remove the stored private key
          </label>
        )}
      </>
    ),
  };
}
