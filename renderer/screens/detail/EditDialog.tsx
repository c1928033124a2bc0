import { Undo2, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { EditSecretInput, SecretDetail } from '../../../shared/schemas/secrets';
import { FIELD_LABELS, TYPE_LABELS, fieldSchemas, isoDate, secretName } from '../../../shared/schemas/secrets';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FieldError, FormError, describedBy } from '../../components/Field';
import { FileField } from '../../components/form/FileField';
import type { PairRow } from '../../components/form/PairsEditor';
import { PairsEditor, newPairRow } from '../../components/form/PairsEditor';
import { SecretInput } from '../../components/form/SecretInput';
import type { FieldErrors } from '../../lib/errors';
import { sentence } from '../../lib/errors';
import type { FilePayload } from '../../lib/files';
import { readFilePayload } from '../../lib/files';
import { isoDay } from '../../lib/format';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

type TextKey = 'headerName' | 'value' | 'headerValue' | 'clientId' | 'url' | 'clientSecret';

const TEXT_FIELDS: Record<SecretDetail['type'], TextKey[]> = {
  'api-key': ['headerName', 'value'],
  'bearer-token': ['headerName', 'headerValue'],
  'client-credentials': ['clientId', 'url', 'clientSecret'],
  certificate: [],
  'key-value': [],
};

const SECRET_KEYS = new Set<TextKey>(['value', 'headerValue', 'clientSecret']);

/** Checks one text field with the same schema registration uses. */
function checkText(type: SecretDetail['type'], key: TextKey, value: string): string | undefined {
  const schema = (fieldSchemas[type] as unknown as { shape: Record<string, { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }> }).shape[key];
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error?.issues[0]?.message;
}

/** Edit: the form starts from the current clear fields; only what changed is sent (`secrets.edit`). */
export function EditDialog({ detail, onClose }: { detail: SecretDetail; onClose: () => void }) {
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const reload = useSecrets((s) => s.reload);
  const refreshStatus = useSession((s) => s.refresh);
  const current = (key: string) => detail.fields.find((f) => f.key === key)?.value ?? '';
  const [name, setName] = useState(detail.name);
  const [text, setText] = useState<Record<TextKey, string>>(() => ({
    headerName: current('headerName'),
    value: '',
    headerValue: '',
    clientId: current('clientId'),
    url: current('url'),
    clientSecret: '',
  }));
  const initialExpires = detail.expires === null ? '' : isoDay(detail.expires);
  const [expires, setExpires] = useState(initialExpires);
  const [certFile, setCertFile] = useState<FilePayload | null>(null);
  const [keyFile, setKeyFile] = useState<FilePayload | null>(null);
  const hasKey = detail.fields.some((f) => f.key === 'privateKey');
  const [removeKey, setRemoveKey] = useState(false);
  // Key/value: existing keys (values stay masked; a new value replaces), removals, and new rows.
  const existingKeys = detail.type === 'key-value' ? detail.fields.map((f) => f.key) : [];
  const [newValues, setNewValues] = useState<Record<string, string>>({});
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<PairRow[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [focusErrors, setFocusErrors] = useState(0);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusErrors) bodyRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  function build(): { input: EditSecretInput; errors: FieldErrors; changed: boolean } {
    const errs: FieldErrors = {};
    const input: EditSecretInput = { ref: { id: detail.id }, fields: {} };
    const fields: NonNullable<EditSecretInput['fields']> = {};
    if (name.trim() !== detail.name) {
      const r = secretName.safeParse(name);
      if (!r.success) errs.name = r.error.issues[0]!.message;
      input.name = name;
    }
    for (const key of TEXT_FIELDS[detail.type]) {
      const v = text[key];
      const changed = SECRET_KEYS.has(key) ? v !== '' : v.trim() !== current(key);
      if (!changed) continue;
      const msg = checkText(detail.type, key, v);
      if (msg) errs[key] = msg;
      fields[key] = v;
    }
    if (detail.type !== 'certificate' && expires !== initialExpires) {
      if (expires) {
        const r = isoDate.safeParse(expires);
        if (!r.success) errs.expires = r.error.issues[0]!.message;
        input.expires = expires;
      } else input.expires = null;
    }
    if (detail.type === 'certificate') {
      if (certFile) fields.certificate = certFile;
      if (keyFile) {
        if (!keyFile.fileName.toLowerCase().endsWith('.key')) errs.privateKey = 'Private Key must be a .key file';
        fields.privateKey = keyFile;
      } else if (removeKey) fields.privateKey = null;
    }
    if (detail.type === 'key-value') {
      const setPairs: { key: string; value: string }[] = [];
      for (const k of existingKeys) if (!removed.has(k) && (newValues[k] ?? '') !== '') setPairs.push({ key: k, value: newValues[k]! });
      const kept = new Set(existingKeys.filter((k) => !removed.has(k)));
      added.forEach((row, i) => {
        if (row.key.trim() === '' && row.value === '') return;
        const key = row.key.trim();
        if (!key) errs[`pairs.${i}.key`] = 'Key is required';
        else if (key.includes('=')) errs[`pairs.${i}.key`] = 'Key must not contain "="';
        else if (kept.has(key)) errs[`pairs.${i}.key`] = `Key "${key}" appears more than once`;
        kept.add(key);
        setPairs.push({ key, value: row.value });
      });
      if (kept.size === 0) errs.pairs = 'At least one key/value pair is required';
      if (setPairs.length) fields.setPairs = setPairs;
      if (removed.size) fields.removeKeys = [...removed];
    }
    input.fields = fields;
    const changed = input.name !== undefined || input.expires !== undefined || Object.keys(fields).length > 0;
    return { input, errors: errs, changed };
  }

  async function submit() {
    if (busy) return;
    const { input, errors: errs, changed } = build();
    if (Object.keys(errs).length) {
      setErrors(errs);
      setFocusErrors((n) => n + 1);
      return;
    }
    if (!changed) {
      setErrors({ _form: 'Nothing has changed yet.' });
      return;
    }
    setBusy(true);
    const r = await request('secrets.edit', input);
    setBusy(false);
    if (!r.ok) {
      const field = r.error.field && !r.error.field.startsWith('pairs.') ? r.error.field : r.error.field ? 'pairs' : '_form';
      setErrors({ [field]: sentence(r.error.message) });
      setFocusErrors((n) => n + 1);
      return;
    }
    toast.success(`Saved as revision ${r.value.revision}`);
    onClose();
    void refreshDetail();
    reload();
    void refreshStatus();
  }

  const setField = (key: TextKey, v: string) => {
    setText((t) => ({ ...t, [key]: v }));
    setErrors((e) => {
      const { [key]: _drop, _form: _f, ...rest } = e;
      return rest;
    });
  };
  const known = new Set(['name', 'expires', 'certificate', 'privateKey', 'pairs', ...TEXT_FIELDS[detail.type]]);
  const formError = errors._form ?? Object.entries(errors).find(([k]) => !known.has(k) && !k.startsWith('pairs.'))?.[1];

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Edit ${detail.name}`}
      description={`${TYPE_LABELS[detail.type]} · saving creates revision ${detail.revision + 1}; older revisions stay in History.`}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Save changes" busyLabel="Saving…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={formError} />
        <Field id="edit-name" label={FIELD_LABELS.name!} error={errors.name}>
          <input
            id="edit-name"
            className="input"
            value={name}
            disabled={busy}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              setErrors(({ name: _n, _form: _f, ...rest }) => rest);
            }}
            {...describedBy('edit-name', errors.name)}
          />
        </Field>
        {TEXT_FIELDS[detail.type].map((key) => {
          const label = FIELD_LABELS[key]!;
          const id = `edit-${key}`;
          return SECRET_KEYS.has(key) ? (
            <Field key={key} id={id} label={`New ${label}`} optional hint="Leave empty to keep the current value" error={errors[key]}>
              <SecretInput id={id} label={label} value={text[key]} disabled={busy} onChange={(e) => setField(key, e.target.value)} {...describedBy(id, errors[key], true)} />
            </Field>
          ) : (
            <Field key={key} id={id} label={label} error={errors[key]}>
              <input
                id={id}
                className="input mono"
                value={text[key]}
                disabled={busy}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => setField(key, e.target.value)}
                {...describedBy(id, errors[key])}
              />
            </Field>
          );
        })}
        {detail.type === 'certificate' && (
          <>
            <FileField
              id="edit-certificate"
              testId="certificate-file"
              label={`New ${FIELD_LABELS.certificate}`}
              optional
              accept=".pem,.crt,.cer,.der"
              hint="Its Expiration Date is read from the file"
              error={errors.certificate}
              disabled={busy}
              onFile={(f) => void (f ? readFilePayload(f).then(setCertFile) : Promise.resolve(setCertFile(null)))}
            />
            <FileField
              id="edit-privateKey"
              testId="private-key-file"
              label={`New ${FIELD_LABELS.privateKey}`}
              optional
              accept=".key"
              hint="Only .key files; it must match the certificate"
              error={errors.privateKey}
              disabled={busy || removeKey}
              onFile={(f) => void (f ? readFilePayload(f).then(setKeyFile) : Promise.resolve(setKeyFile(null)))}
            />
            {hasKey && (
              <label className="check">
                <input type="checkbox" checked={removeKey} disabled={busy || keyFile !== null} onChange={(e) => setRemoveKey(e.target.checked)} />
                Remove the stored private key
              </label>
            )}
          </>
        )}
        {detail.type === 'key-value' && (
          <fieldset className="field">
            <legend className="field-label">Keys and values</legend>
            <p className="field-hint">Values stay hidden: type a new value to replace one, or remove the key.</p>
            <div className="pairs">
              {existingKeys.map((k) => {
                const isRemoved = removed.has(k);
                const id = `edit-kv-${k.replace(/[^A-Za-z0-9_-]/g, '_')}`;
                return (
                  <div key={k} className="pair-row">
                    <span className={`input mono kv-key${isRemoved ? ' is-removed' : ''}`} title={k}>
                      {k}
                    </span>
                    <input
                      id={id}
                      className="input mono"
                      aria-label={`New value for ${k}`}
                      placeholder={isRemoved ? 'Will be removed' : 'Unchanged'}
                      value={newValues[k] ?? ''}
                      disabled={busy || isRemoved}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(e) => setNewValues((v) => ({ ...v, [k]: e.target.value }))}
                    />
                    <button
                      type="button"
                      className="icon-btn"
                      aria-label={isRemoved ? `Keep ${k}` : `Remove ${k}`}
                      title={isRemoved ? 'Keep this key' : 'Remove this key'}
                      disabled={busy}
                      onClick={() =>
                        setRemoved((r) => {
                          const next = new Set(r);
                          if (isRemoved) next.delete(k);
                          else next.add(k);
                          return next;
                        })
                      }
                    >
                      {isRemoved ? <Undo2 size={16} aria-hidden /> : <Trash2 size={16} aria-hidden />}
                    </button>
                  </div>
                );
              })}
            </div>
            <p className="field-hint new-keys-label">New keys</p>
            {added.length === 0 ? (
              <div>
                <button type="button" className="btn btn-sm" onClick={() => setAdded([newPairRow()])} disabled={busy}>
                  Add a key
                </button>
              </div>
            ) : (
              <PairsEditor idPrefix="edit-pair" rows={added} onChange={setAdded} errors={errors} disabled={busy} minRows={0} />
            )}
            <FieldError id="edit-pairs-error" error={errors.pairs} />
          </fieldset>
        )}
        {detail.type !== 'certificate' && (
          <Field id="edit-expires" label={FIELD_LABELS.expires!} optional hint="Clear it to remove the expiration" error={errors.expires}>
            <input
              id="edit-expires"
              className="input input-date"
              type="date"
              value={expires}
              disabled={busy}
              onChange={(e) => setExpires(e.target.value)}
              {...describedBy('edit-expires', errors.expires, true)}
            />
          </Field>
        )}
      </div>
    </Dialog>
  );
}
