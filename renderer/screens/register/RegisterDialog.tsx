import { Braces, FileBadge, Fingerprint, KeyRound, Ticket } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { RegisterSecretInput, SecretType } from '../../../shared/schemas/secrets';
import { FIELD_LABELS, SECRET_TYPES, TYPE_LABELS, registerSecretInput } from '../../../shared/schemas/secrets';
import { parsePairsFile } from '../../../shared/dotenv';
import type { Pair } from '../../../shared/dotenv';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FieldError, FormError, describedBy } from '../../components/Field';
import { FileField } from '../../components/form/FileField';
import type { PairRow } from '../../components/form/PairsEditor';
import { PairsEditor, newPairRow } from '../../components/form/PairsEditor';
import { SecretInput } from '../../components/form/SecretInput';
import type { FieldErrors } from '../../lib/errors';
import { issuesToErrors, sentence } from '../../lib/errors';
import type { FilePayload } from '../../lib/files';
import { readFilePayload, readFileText } from '../../lib/files';
import { formatDay } from '../../lib/format';
import type { Scope } from '../../state/nav';
import { useNav } from '../../state/nav';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { useUi } from '../../state/ui';

const TYPE_ICONS: Record<SecretType, ReactNode> = {
  'api-key': <KeyRound size={18} aria-hidden />,
  'bearer-token': <Ticket size={18} aria-hidden />,
  'client-credentials': <Fingerprint size={18} aria-hidden />,
  certificate: <FileBadge size={18} aria-hidden />,
  'key-value': <Braces size={18} aria-hidden />,
};

/** "Register secret" at the current scope (Personal, the selected workspace, or Organization). */
export function RegisterDialog() {
  const open = useUi((s) => s.registerOpen);
  const setOpen = useUi((s) => s.setRegisterOpen);
  const view = useNav((s) => s.view);
  if (!open || view.kind !== 'secrets') return null;
  return <RegisterForm scope={view.scope} onClose={() => setOpen(false)} />;
}

interface CertInfo {
  subject: string;
  issuer: string;
  notAfter: number;
  hasKey: boolean;
}

type Availability = 'entire' | 'teams';
type KvMethod = 'manual' | 'file';

function scopeLine(scope: Scope): string {
  if (scope.level === 'personal') return 'Personal — only you can read it';
  if (scope.level === 'workspace') return `Workspace ${scope.workspace} — its members can read it`;
  return 'Organization';
}

function RegisterForm({ scope, onClose }: { scope: Scope; onClose: () => void }) {
  const teamsAvailable = useSession((s) => s.status?.teams ?? []);
  const refreshStatus = useSession((s) => s.refresh);
  const reload = useSecrets((s) => s.reload);
  const [type, setType] = useState<SecretType>('api-key');
  const [name, setName] = useState('');
  const [headerName, setHeaderName] = useState('');
  const [value, setValue] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const [clientId, setClientId] = useState('');
  const [url, setUrl] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [expires, setExpires] = useState('');
  const [certFile, setCertFile] = useState<FilePayload | null>(null);
  const [keyFile, setKeyFile] = useState<FilePayload | null>(null);
  const [certInfo, setCertInfo] = useState<CertInfo | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const [kvMethod, setKvMethod] = useState<KvMethod>('manual');
  const [rows, setRows] = useState<PairRow[]>(() => [newPairRow()]);
  const [kvFile, setKvFile] = useState<{ fileName: string; pairs: Pair[] } | null>(null);
  const [availability, setAvailability] = useState<Availability>('entire');
  const [teams, setTeams] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const [focusErrors, setFocusErrors] = useState(0);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!focusErrors) return;
    bodyRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  const clearError = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e) && !('_form' in e)) return e;
      const next = { ...e };
      for (const k of keys) delete next[k];
      delete next._form;
      return next;
    });

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
    if (!payload.fileName.toLowerCase().endsWith('.key')) {
      setErrors((e) => ({ ...e, privateKey: 'Private Key must be a .key file' }));
      return;
    }
    if (certFile) await inspect(certFile, payload);
  }

  async function onPairsFile(file: File | null) {
    clearError('pairs');
    setKvFile(null);
    if (!file) return;
    try {
      const pairs = parsePairsFile(file.name, await readFileText(file));
      setKvFile({ fileName: file.name, pairs });
    } catch (e) {
      setErrors((prev) => ({ ...prev, pairs: sentence(e instanceof Error ? e.message : 'The file could not be read') }));
    }
  }

  /** Manual rows actually sent (blank rows dropped), and where each came from for its errors. */
  function manualPairs(): { pairs: Pair[]; origin: number[] } {
    const origin: number[] = [];
    const pairs: Pair[] = [];
    rows.forEach((r, i) => {
      if (r.key.trim() === '' && r.value === '') return;
      origin.push(i);
      pairs.push({ key: r.key, value: r.value });
    });
    return { pairs, origin };
  }

  function buildInput(origin: number[] | null): { input: RegisterSecretInput; remap: (key: string) => string } {
    const base: Record<string, unknown> = { type, name, level: scope.level };
    if (scope.level === 'workspace') base.workspace = scope.workspace;
    if (scope.level === 'organization' && availability === 'teams') base.teams = teams;
    if (type !== 'certificate' && expires) base.expires = expires;
    let fields: Record<string, unknown>;
    switch (type) {
      case 'api-key':
        fields = { headerName, value };
        break;
      case 'bearer-token':
        fields = { headerName, headerValue };
        break;
      case 'client-credentials':
        fields = { clientId, url, clientSecret };
        break;
      case 'certificate':
        fields = { ...(certFile ? { certificate: certFile } : {}), ...(keyFile ? { privateKey: keyFile } : {}) };
        break;
      case 'key-value':
        fields = { ...(kvMethod === 'file' ? (kvFile ? { pairs: kvFile.pairs } : {}) : { pairs: manualPairs().pairs }) };
        break;
    }
    const remap = (key: string) => {
      const m = /^pairs\.(\d+)\.(key|value)$/.exec(key);
      if (!m) return key;
      if (kvMethod === 'file' || !origin) return 'pairs';
      return `pairs.${origin[Number(m[1])] ?? m[1]}.${m[2]}`;
    };
    return { input: { ...base, fields } as RegisterSecretInput, remap };
  }

  const remapErrors = (errs: FieldErrors, remap: (k: string) => string): FieldErrors => {
    const out: FieldErrors = {};
    for (const [k, v] of Object.entries(errs)) {
      const key = remap(k);
      if (!(key in out)) out[key] = v;
    }
    return out;
  };

  async function submit() {
    if (submitting || inspecting) return;
    const { input, remap } = buildInput(manualPairs().origin);
    const parsed = registerSecretInput.safeParse(input);
    const errs: FieldErrors = parsed.success ? {} : remapErrors(issuesToErrors(parsed.error), remap);
    if (errors.privateKey && keyFile) errs.privateKey = errors.privateKey;
    if (errors.certificate && certFile) errs.certificate = errors.certificate;
    if (Object.keys(errs).length) {
      setErrors(errs);
      setFocusErrors((n) => n + 1);
      return;
    }
    setSubmitting(true);
    const r = await request('secrets.register', input);
    setSubmitting(false);
    if (!r.ok) {
      const field = r.error.field ? remap(r.error.field) : '_form';
      setErrors({ [field]: sentence(r.error.message) });
      setFocusErrors((n) => n + 1);
      return;
    }
    toast.success(`Registered “${r.value.name}”`);
    onClose();
    reload();
    void refreshStatus();
    useSelection.getState().open(r.value.id);
  }

  // Errors of fields the form does not show (e.g. `workspace`) are shown at the top.
  const shown = new Set(['name', 'headerName', 'value', 'headerValue', 'clientId', 'url', 'clientSecret', 'certificate', 'privateKey', 'expires', 'pairs', 'teams']);
  const formError = errors._form ?? Object.entries(errors).find(([k]) => !shown.has(k) && !k.startsWith('pairs.'))?.[1];
  const busy = submitting;

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title="Register secret"
      description={`Level: ${scopeLine(scope)}`}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Register secret" busyLabel="Registering…" disabled={inspecting} />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={formError} />
        <fieldset>
          <legend className="field-label">Credential Type</legend>
          <div className="type-grid">
            {SECRET_TYPES.map((t) => (
              <label key={t} className="radio-card">
                <input
                  type="radio"
                  name="secret-type"
                  value={t}
                  checked={type === t}
                  disabled={busy}
                  onChange={() => {
                    setType(t);
                    setErrors({});
                  }}
                />
                {TYPE_ICONS[t]}
                <span>{TYPE_LABELS[t]}</span>
              </label>
            ))}
          </div>
        </fieldset>

        {scope.level === 'organization' && (
          <fieldset>
            <legend className="field-label">Availability</legend>
            <div className="choice-row">
              <label className="radio-card">
                <input type="radio" name="availability" checked={availability === 'entire'} onChange={() => setAvailability('entire')} disabled={busy} />
                Entire organization
              </label>
              <label className="radio-card">
                <input
                  type="radio"
                  name="availability"
                  checked={availability === 'teams'}
                  onChange={() => setAvailability('teams')}
                  disabled={busy || teamsAvailable.length === 0}
                />
                Teams
              </label>
            </div>
            {teamsAvailable.length === 0 && (
              <p className="field-hint">
                No teams yet: create them with <code>coffer team add</code>.
              </p>
            )}
            {availability === 'teams' && teamsAvailable.length > 0 && (
              <fieldset className="teams-pick" aria-describedby={errors.teams ? 'reg-teams-error' : undefined}>
                <legend className="visually-hidden">Teams that can read it</legend>
                <div className="checkbox-list">
                  {teamsAvailable.map((t) => (
                    <label key={t.id} className="check">
                      <input
                        type="checkbox"
                        checked={teams.includes(t.name)}
                        disabled={busy}
                        aria-invalid={errors.teams ? true : undefined}
                        onChange={(e) => {
                          clearError('teams');
                          setTeams((cur) => (e.target.checked ? [...cur, t.name] : cur.filter((n) => n !== t.name)));
                        }}
                      />
                      {t.name}
                    </label>
                  ))}
                </div>
                <FieldError id="reg-teams-error" error={errors.teams} />
              </fieldset>
            )}
          </fieldset>
        )}

        <Field id="reg-name" label={FIELD_LABELS.name!} error={errors.name}>
          <input
            id="reg-name"
            className="input"
            value={name}
            disabled={busy}
            maxLength={256}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              clearError('name');
            }}
            {...describedBy('reg-name', errors.name)}
          />
        </Field>

        {(type === 'api-key' || type === 'bearer-token') && (
          <Field id="reg-headerName" label={FIELD_LABELS.headerName!} hint="The HTTP header that carries it, e.g. Authorization or X-API-Key" error={errors.headerName}>
            <input
              id="reg-headerName"
              className="input mono"
              value={headerName}
              disabled={busy}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              onChange={(e) => {
                setHeaderName(e.target.value);
                clearError('headerName');
              }}
              {...describedBy('reg-headerName', errors.headerName, true)}
            />
          </Field>
        )}
        {type === 'api-key' && (
          <Field id="reg-value" label={FIELD_LABELS.value!} error={errors.value}>
            <SecretInput
              id="reg-value"
              label={FIELD_LABELS.value!}
              value={value}
              disabled={busy}
              onChange={(e) => {
                setValue(e.target.value);
                clearError('value');
              }}
              {...describedBy('reg-value', errors.value)}
            />
          </Field>
        )}
        {type === 'bearer-token' && (
          <Field id="reg-headerValue" label={FIELD_LABELS.headerValue!} error={errors.headerValue}>
            <SecretInput
              id="reg-headerValue"
              label={FIELD_LABELS.headerValue!}
              value={headerValue}
              disabled={busy}
              onChange={(e) => {
                setHeaderValue(e.target.value);
                clearError('headerValue');
              }}
              {...describedBy('reg-headerValue', errors.headerValue)}
            />
          </Field>
        )}
        {type === 'client-credentials' && (
          <>
            <Field id="reg-clientId" label={FIELD_LABELS.clientId!} error={errors.clientId}>
              <input
                id="reg-clientId"
                className="input mono"
                value={clientId}
                disabled={busy}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => {
                  setClientId(e.target.value);
                  clearError('clientId');
                }}
                {...describedBy('reg-clientId', errors.clientId)}
              />
            </Field>
            <Field id="reg-url" label={FIELD_LABELS.url!} hint="The token endpoint, http:// or https://" error={errors.url}>
              <input
                id="reg-url"
                className="input mono"
                type="url"
                value={url}
                disabled={busy}
                spellCheck={false}
                autoComplete="off"
                placeholder="https://auth.example.com/oauth/token"
                onChange={(e) => {
                  setUrl(e.target.value);
                  clearError('url');
                }}
                {...describedBy('reg-url', errors.url, true)}
              />
            </Field>
            <Field id="reg-clientSecret" label={FIELD_LABELS.clientSecret!} error={errors.clientSecret}>
              <SecretInput
                id="reg-clientSecret"
                label={FIELD_LABELS.clientSecret!}
                value={clientSecret}
                disabled={busy}
                onChange={(e) => {
                  setClientSecret(e.target.value);
                  clearError('clientSecret');
                }}
                {...describedBy('reg-clientSecret', errors.clientSecret)}
              />
            </Field>
          </>
        )}
        {type === 'certificate' && (
          <>
            <FileField
              id="reg-certificate"
              testId="certificate-file"
              label={FIELD_LABELS.certificate!}
              accept=".pem,.crt,.cer,.der,application/x-pem-file,application/x-x509-ca-cert"
              hint="A PEM or DER file (.pem, .crt, .cer, .der)"
              error={errors.certificate}
              busy={inspecting}
              disabled={busy}
              onFile={(f) => void onCertificate(f)}
            />
            <FileField
              id="reg-privateKey"
              testId="private-key-file"
              label={FIELD_LABELS.privateKey!}
              optional
              accept=".key"
              hint="Only .key files; it must match the certificate"
              error={errors.privateKey}
              disabled={busy}
              onFile={(f) => void onPrivateKey(f)}
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
        )}
        {type === 'key-value' && (
          <>
            <fieldset>
              <legend className="field-label">Registration Method</legend>
              <div className="choice-row">
                <label className="radio-card">
                  <input
                    type="radio"
                    name="kv-method"
                    checked={kvMethod === 'manual'}
                    disabled={busy}
                    onChange={() => {
                      setKvMethod('manual');
                      clearError('pairs');
                    }}
                  />
                  Enter keys and values
                </label>
                <label className="radio-card">
                  <input
                    type="radio"
                    name="kv-method"
                    checked={kvMethod === 'file'}
                    disabled={busy}
                    onChange={() => {
                      setKvMethod('file');
                      setErrors({});
                    }}
                  />
                  Add a .env or JSON file
                </label>
              </div>
            </fieldset>
            {kvMethod === 'manual' ? (
              <div className="field">
                <PairsEditor
                  idPrefix="reg-pair"
                  rows={rows}
                  onChange={(next) => {
                    setRows(next);
                    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('pairs'))));
                  }}
                  errors={errors}
                  disabled={busy}
                />
                <FieldError id="reg-pairs-error" error={errors.pairs} />
              </div>
            ) : (
              <FileField
                id="reg-pairs"
                testId="pairs-file"
                label="Key/Value file"
                accept=".env,.json,application/json,text/plain"
                hint={kvFile ? `${kvFile.pairs.length} keys read from ${kvFile.fileName}` : 'KEY=VALUE lines (.env), or one JSON object of keys and values'}
                error={errors.pairs}
                disabled={busy}
                onFile={(f) => void onPairsFile(f)}
              />
            )}
          </>
        )}
        {type !== 'certificate' && (
          <Field id="reg-expires" label={FIELD_LABELS.expires!} optional hint="Coffer reminds you 30, 7 and 1 days before" error={errors.expires}>
            <input
              id="reg-expires"
              className="input input-date"
              type="date"
              value={expires}
              disabled={busy}
              onChange={(e) => {
                setExpires(e.target.value);
                clearError('expires');
              }}
              {...describedBy('reg-expires', errors.expires, true)}
            />
          </Field>
        )}
      </div>
    </Dialog>
  );
}
