import { useState } from 'react';
import { FIELD_LABELS } from '../../../../shared/schemas/secrets';
import { SECRET_TYPE_DESCRIPTIONS, typeFields, wrongExtension } from '../../../../shared/schemas/secret-types';
import { FileField } from '../../../components/form/FileField';
import type { FieldErrors } from '../../../lib/errors';
import { sentence } from '../../../lib/errors';
import type { FilePayload } from '../../../lib/files';
import { readFilePayload } from '../../../lib/files';
import { formatDay } from '../../../lib/format';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import { request } from '../../../state/request';
import type { TypeDraft } from './TypeDraft';

const [CERTIFICATE, PRIVATE_KEY] = SECRET_TYPE_DESCRIPTIONS.certificate.fields;

interface CertInfo {
  subject: string;
  notAfter: number;
}

interface CertificateFormProps {
  certInfo: CertInfo | null;
  inspecting: boolean;
  errors: FieldErrors;
  busy: boolean;
  onCertificate: (file: File | null) => void;
  onPrivateKey: (file: File | null) => void;
}

/** The certificate and its optional key; the Expiration Date is shown as read from the certificate. */
function CertificateForm({ certInfo, inspecting, errors, busy, onCertificate, onPrivateKey }: CertificateFormProps) {
  return (
    <>
      <FileField
        id="reg-certificate"
        testId="certificate-file"
        label={CERTIFICATE.label}
        accept=".pem,.crt,.cer,.der,application/x-pem-file,application/x-x509-ca-cert"
        hint={CERTIFICATE.hint}
        error={errors.certificate}
        busy={inspecting}
        disabled={busy}
        onFile={onCertificate}
      />
      <FileField
        id="reg-privateKey"
        testId="private-key-file"
        label={PRIVATE_KEY.label}
        optional
        accept={PRIVATE_KEY.extension}
        hint={PRIVATE_KEY.hint}
        error={errors.privateKey}
        disabled={busy}
        onFile={onPrivateKey}
      />
      <div className="field">
        <span className="field-label" id="reg-cert-expiry-label">
          {FIELD_LABELS.expires}
        </span>
        <div className="readonly-box" aria-labelledby="reg-cert-expiry-label" role="group" data-testid="certificate-expiry">
          {certInfo ? (
            <>
              <strong>{formatDay(certInfo.notAfter)}</strong>
              <span className="muted truncate" title={certInfo.subject}>
                Read from the certificate · {certInfo.subject}
              </span>
            </>
          ) : (
            <span className="muted">Read from the certificate once you choose it</span>
          )}
        </div>
      </div>
    </>
  );
}

/** The chosen files, each checked by the core as soon as it is chosen so mistakes show before submitting. */
export function useCertificateFields({ errors, setErrors, clearError }: FieldErrorsState): TypeDraft {
  const [certFile, setCertFile] = useState<FilePayload | null>(null);
  const [keyFile, setKeyFile] = useState<FilePayload | null>(null);
  const [certInfo, setCertInfo] = useState<CertInfo | null>(null);
  const [inspecting, setInspecting] = useState(false);

  async function inspect(cert: FilePayload, key: FilePayload | null) {
    setInspecting(true);
    const r = await request('certificates.inspect', key ? { certificate: cert, privateKey: key } : { certificate: cert });
    if (r.ok) {
      setCertInfo(r.value);
      clearError('certificate', 'privateKey');
    } else {
      const field = r.error.field === 'privateKey' ? 'privateKey' : 'certificate';
      setErrors((e) => ({ ...e, [field]: sentence(r.error.message) }));
      if (field === 'privateKey') {
        const again = await request('certificates.inspect', { certificate: cert });
        setCertInfo(again.ok ? again.value : null);
      } else setCertInfo(null);
    }
    setInspecting(false);
  }

  async function onCertificate(file: File | null) {
    clearError('certificate');
    if (!file) {
      setCertFile(null);
      setCertInfo(null);
      return;
    }
    const payload = await readFilePayload(file);
    setCertFile(payload);
    await inspect(payload, keyFile);
  }

  async function onPrivateKey(file: File | null) {
    clearError('privateKey');
    if (!file) {
      setKeyFile(null);
      if (certFile) await inspect(certFile, null);
      return;
    }
    const payload = await readFilePayload(file);
    setKeyFile(payload);
    const wrong = wrongExtension(PRIVATE_KEY, payload.fileName);
    if (wrong) {
      setErrors((e) => ({ ...e, privateKey: wrong }));
      return;
    }
    if (certFile) await inspect(certFile, payload);
  }

  return {
    fields: () => ({ ...(certFile ? { certificate: certFile } : {}), ...(keyFile ? { privateKey: keyFile } : {}) }),
    errorKey: (key) => key,
    keptErrors: () => ({
      ...(errors.privateKey && keyFile ? { privateKey: errors.privateKey } : {}),
      ...(errors.certificate && certFile ? { certificate: errors.certificate } : {}),
    }),
    reading: inspecting,
    shown: typeFields('certificate').map((f) => f.key),
    render: (busy) => (
      <CertificateForm
        certInfo={certInfo}
        inspecting={inspecting}
        errors={errors}
        busy={busy}
        onCertificate={(f) => void onCertificate(f)}
        onPrivateKey={(f) => void onPrivateKey(f)}
      />
    ),
  };
}
