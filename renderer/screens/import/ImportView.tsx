import { FileInput, FileUp, LoaderCircle, ShieldAlert, ShieldCheck } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportUploadInput, UploadInspection, Uploaded } from '../../../shared/schemas/bundle-import';
import { FORMAT_LABELS, MAX_UPLOAD_TEXT } from '../../../shared/schemas/bundle-import';
import type { ImportResult, ImportStrategy } from '../../../shared/schemas/bundles';
import { call, uploadFile } from '../../api/client';
import { FieldError, FormError, describedBy } from '../../components/Field';
import { sentence } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { useImportDrop } from '../../state/imports';
import { may } from '../../state/nav';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSession } from '../../state/session';
import { formatBytes } from '../export/ExportResult';
import { ImportPreview } from './ImportPreview';
import { ImportSummary } from './ImportSummary';

type Stage =
  | { kind: 'choose' }
  | { kind: 'file'; upload: Uploaded; inspection: UploadInspection }
  | { kind: 'preview'; upload: Uploaded; inspection: UploadInspection; preview: ImportResult }
  | { kind: 'done'; fileName: string; result: ImportResult };

/** Where an error the core names a field of belongs on this screen. */
const FIELD_OF: Record<string, string> = { passphrase: 'passphrase', signer: 'trust', workspace: 'workspace', file: 'file', from: 'file' };

/**
 * Import (docs/ui.md "Import"): a file chosen or dropped goes to the core's inbox; the core says what
 * it is (for a bundle: who signed it and who can open it, nothing decrypted); a dry run shows what
 * each secret would do, with a choice per item; the import applies those choices and ends on a summary.
 */
export function ImportView() {
  const status = useSession((s) => s.status)!;
  const refreshStatus = useSession((s) => s.refresh);
  const reload = useSecrets((s) => s.reload);
  const mayCreateWorkspaces = may(status.member?.permissions, 'workspace.create');
  const workspaces = status.workspaces;
  const pending = useImportDrop((s) => s.pending);

  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [trusted, setTrusted] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [split, setSplit] = useState(false);
  const [strategy, setStrategy] = useState<ImportStrategy>('mine');
  const [perItem, setPerItem] = useState<Map<number, ImportStrategy>>(new Map());
  const inputRef = useRef<HTMLInputElement>(null);
  const uploadRef = useRef<string | null>(null);
  // Stable: a preview row (memoized) then re-renders only when its own choice changes.
  const chooseFor = useCallback((i: number, s: ImportStrategy) => setPerItem((m) => new Map(m).set(i, s)), []);

  // The upload leaves the inbox when the screen does (the core also empties it at lock).
  useEffect(
    () => () => {
      // Straight to the door: when the vault just locked, the core emptied the inbox already and the answer does not matter.
      if (uploadRef.current) void call('imports.discard', { id: uploadRef.current });
    },
    [],
  );

  const fail = (error: { message: string; field?: string | undefined }) => {
    const field = error.field ? FIELD_OF[error.field] : undefined;
    if (field) setErrors({ [field]: sentence(error.message) });
    else setFormError(sentence(error.message));
  };

  function reset() {
    if (uploadRef.current) void request('imports.discard', { id: uploadRef.current });
    uploadRef.current = null;
    setStage({ kind: 'choose' });
    setErrors({});
    setFormError(null);
    setTrusted(false);
    setPassphrase('');
    setWorkspace('');
    setSplit(false);
    setStrategy('mine');
    setPerItem(new Map());
  }

  /** Back to an empty screen, focus on the file button (the one that was pressed is gone). */
  function startOver() {
    reset();
    setTimeout(() => document.querySelector<HTMLButtonElement>('[data-testid="import-drop-zone"] button')?.focus(), 0);
  }

  function choicesOf(id: string, over: Partial<{ strategy: ImportStrategy; perItem: Map<number, ImportStrategy> }> = {}): ImportUploadInput {
    const inspection = stage.kind === 'file' || stage.kind === 'preview' ? stage.inspection : undefined;
    const bundle = inspection?.bundle;
    return {
      id,
      strategy: over.strategy ?? strategy,
      perItem: [...(over.perItem ?? perItem)].map(([index, s]) => ({ index, strategy: s })),
      ...(workspace ? { workspace } : {}),
      ...(bundle?.needsPassphrase ? { passphrase } : {}),
      ...(bundle && bundle.signer.member === null && trusted ? { trustSigner: bundle.signer.fingerprint } : {}),
      ...(inspection?.format === 'dotenv' && split ? { split: true } : {}),
    };
  }

  async function runPreview(upload: Uploaded, inspection: UploadInspection, input: ImportUploadInput) {
    setBusy(inspection.bundle ? 'Verifying the signature and decrypting to compare…' : `Reading ${inspection.fileName} and comparing with this vault…`);
    const r = await request('imports.preview', input);
    setBusy(null);
    if (!r.ok) {
      fail(r.error);
      setStage({ kind: 'file', upload, inspection });
      return;
    }
    setPerItem(new Map());
    setStage({ kind: 'preview', upload, inspection, preview: r.value });
    // The preview is what to read next: its heading to the top of the page, and focus on it.
    setTimeout(() => {
      const head = document.getElementById('import-preview-title');
      head?.scrollIntoView({ block: 'start' });
      head?.focus({ preventScroll: true });
    }, 0);
  }

  async function take(file: File) {
    reset();
    setBusy(`Reading ${file.name} (${formatBytes(file.size)})…`);
    const up = await uploadFile(file);
    if (!up.ok) {
      setBusy(null);
      return fail({ ...up.error, field: up.error.field ?? 'file' });
    }
    uploadRef.current = up.value.id;
    setBusy('Checking what the file is…');
    const ins = await request('imports.inspect', { id: up.value.id });
    setBusy(null);
    if (!ins.ok) {
      uploadRef.current = null;
      void request('imports.discard', { id: up.value.id });
      return fail({ ...ins.error, field: ins.error.field ?? 'file' });
    }
    setStage({ kind: 'file', upload: up.value, inspection: ins.value });
    // A foreign file has nothing to confirm first: straight to its preview, everything kept as the file says.
    if (ins.value.format !== 'bundle') await runPreview(up.value, ins.value, { id: up.value.id, strategy: 'mine', perItem: [] });
    else setTimeout(() => document.getElementById('import-file-title')?.focus(), 0);
  }

  // A file dropped on another screen opened this one: take it.
  useEffect(() => {
    if (!pending) return;
    const file = useImportDrop.getState().take();
    if (file) void take(file);
  }, [pending]);

  async function preview() {
    if (stage.kind !== 'file' && stage.kind !== 'preview') return;
    const bundle = stage.inspection.bundle;
    const errs: Record<string, string> = {};
    if (bundle && bundle.signer.member === null && !trusted) errs.trust = 'Compare the fingerprint first, then tick the box';
    if (bundle?.needsPassphrase && !passphrase) errs.passphrase = 'Passphrase is required';
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    await runPreview(stage.upload, stage.inspection, choicesOf(stage.upload.id));
  }

  async function apply() {
    if (stage.kind !== 'preview') return;
    setFormError(null);
    const n = stage.preview.items.length;
    setBusy(`Importing ${formatCount(n)} ${n === 1 ? 'secret' : 'secrets'}…`);
    const r = await request('imports.apply', choicesOf(stage.upload.id));
    setBusy(null);
    if (!r.ok) return fail(r.error);
    uploadRef.current = null;
    setPassphrase('');
    setStage({ kind: 'done', fileName: stage.upload.fileName, result: r.value });
    reload();
    void refreshStatus();
  }

  function onDropHere(e: React.DragEvent) {
    // The window's own listener (useFileDrop) takes the file; here only the look.
    e.preventDefault();
  }

  if (stage.kind === 'done') {
    return (
      <div className="page">
        <div className="page-inner page-import">
          <ImportSummary fileName={stage.fileName} result={stage.result} onAgain={startOver} />
        </div>
      </div>
    );
  }

  const inspection = stage.kind === 'choose' ? undefined : stage.inspection;
  const bundle = inspection?.bundle;
  const foreign = inspection && inspection.format !== 'bundle';
  const closed = bundle?.notForYou ?? false;

  return (
    <div className="page" onDragOver={onDropHere}>
      <div className="page-inner page-import" aria-busy={busy !== null}>
        <section className="panel" aria-labelledby="import-choose-title">
          <div className="panel-head">
            <h2 id="import-choose-title">1. File</h2>
            <p>A Coffer bundle, or an export of KeePass (XML), KeePassXC (CSV), Bitwarden (unencrypted JSON), 1Password (CSV) or a .env file.</p>
          </div>
          <div className={`drop-zone ${stage.kind === 'choose' ? '' : 'has-file'}`} data-testid="import-drop-zone">
            <FileUp size={20} aria-hidden />
            {inspection ? (
              <div className="drop-zone-file">
                <span className="mono truncate" data-testid="import-file-name">
                  {inspection.fileName}
                </span>
                <span className="muted">
                  {FORMAT_LABELS[inspection.format]} · {formatBytes(inspection.bytes)}
                </span>
              </div>
            ) : (
              <span>Drop a file anywhere on this window, or</span>
            )}
            <button type="button" className="btn" disabled={busy !== null} onClick={() => inputRef.current?.click()} {...describedBy('import-file', errors.file)}>
              {inspection ? 'Choose another file…' : 'Choose a file…'}
            </button>
            <input
              ref={inputRef}
              type="file"
              hidden
              data-testid="import-file-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void take(file);
              }}
            />
          </div>
          <p className="field-hint">Up to {MAX_UPLOAD_TEXT}; larger files import with the command line (coffer import). The file is kept in a private temporary folder until it is imported or you lock.</p>
          <FieldError id="import-file-error" error={errors.file} />
        </section>

        {bundle && (
          <section className="panel" aria-labelledby="import-file-title" data-testid="import-bundle">
            <div className="panel-head">
              <h2 id="import-file-title" tabIndex={-1}>
                2. Who made it
              </h2>
              <p>Checked against its signature; nothing in it is decrypted yet.</p>
            </div>
            <dl className="about export-facts">
              <dt>Signed by</dt>
              <dd>
                <span className={`result-title signer-line ${bundle.signer.member ? 'is-ok' : 'is-off'}`}>
                  {bundle.signer.member ? <ShieldCheck size={16} aria-hidden /> : <ShieldAlert size={16} aria-hidden />}
                  {bundle.signer.name}
                  {bundle.signer.member ? ` — member ${bundle.signer.member} of this vault` : ' — not a member of this vault'}
                </span>
                <span className="fingerprint mono" data-testid="import-signer-fingerprint">
                  {bundle.signer.fingerprint}
                </span>
              </dd>
              <dt>From</dt>
              <dd>
                {bundle.organization} · {bundle.selection}
              </dd>
              <dt>Holds</dt>
              <dd data-testid="import-bundle-items">
                {formatCount(bundle.items)} {bundle.items === 1 ? 'secret' : 'secrets'}
              </dd>
              <dt>Opens with</dt>
              <dd>
                <ul className="plain-list">
                  {bundle.recipients.map((r) =>
                    r.kind === 'member' ? (
                      <li key={r.fingerprint}>
                        {r.name.startsWith('credential:') ? `Service credential ${r.name.slice('credential:'.length)}` : r.name} <span className="mono muted">{r.fingerprint}</span>
                      </li>
                    ) : (
                      <li key="passphrase">A passphrase</li>
                    ),
                  )}
                </ul>
              </dd>
            </dl>
            {closed && <p className="form-error" role="alert">This bundle is not addressed to you and has no passphrase: ask its sender to export it to you.</p>}
            {!closed && bundle.signer.member === null && (
              <div className="trust-step">
                <p>
                  Ask <strong>{bundle.signer.name}</strong> for their key’s fingerprint another way (a call, a chat) and compare it with the one above, character by
                  character. Import only if they match.
                </p>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={trusted}
                    disabled={busy !== null}
                    data-testid="import-trust"
                    onChange={(e) => {
                      setTrusted(e.target.checked);
                      setErrors(({ trust: _t, ...rest }) => rest);
                    }}
                    {...describedBy('import-trust', errors.trust)}
                  />
                  I have compared the fingerprint with {bundle.signer.name} and it matches
                </label>
                <FieldError id="import-trust-error" error={errors.trust} />
              </div>
            )}
            {!closed && bundle.needsPassphrase && (
              <div className="field export-picker">
                <label className="field-label" htmlFor="import-passphrase">
                  Passphrase
                </label>
                <input
                  id="import-passphrase"
                  className="input"
                  type="password"
                  autoComplete="off"
                  value={passphrase}
                  disabled={busy !== null}
                  onChange={(e) => {
                    setPassphrase(e.target.value);
                    setErrors(({ passphrase: _p, ...rest }) => rest);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void preview();
                    }
                  }}
                  {...describedBy('import-passphrase', errors.passphrase)}
                />
                <FieldError id="import-passphrase-error" error={errors.passphrase} />
              </div>
            )}
          </section>
        )}

        {inspection && !closed && (
          <section className="panel" aria-labelledby="import-where-title">
            <div className="panel-head">
              <h2 id="import-where-title">{bundle ? '3. Where' : '2. Where'}</h2>
              <p>{bundle ? 'Each secret goes where it was in the bundle, or all into one workspace.' : 'Each secret goes where the file’s groups say, or all into one workspace.'}</p>
            </div>
            <div className="field export-picker">
              <label className="field-label" htmlFor="import-workspace">
                Put the secrets
              </label>
              <select
                id="import-workspace"
                className="input"
                value={workspace}
                disabled={busy !== null}
                onChange={(e) => {
                  setWorkspace(e.target.value);
                  setErrors(({ workspace: _w, ...rest }) => rest);
                }}
                {...describedBy('import-workspace', errors.workspace, true)}
              >
                <option value="">{bundle ? 'Where they were in the bundle' : 'Where the file’s groups say'}</option>
                {workspaces.map((w) => (
                  <option key={w.id} value={w.name}>
                    All into workspace {w.name}
                  </option>
                ))}
              </select>
              <span className="field-hint" id="import-workspace-hint" hidden={errors.workspace !== undefined}>
                {!foreign
                  ? 'A workspace secret needs a workspace of the same name here, unless you choose one for all.'
                  : mayCreateWorkspaces
                    ? 'A top group becomes a workspace of that name (created if new); entries outside groups go to Personal.'
                    : 'Your role cannot create workspaces: a top group must name an existing workspace, or choose one workspace for everything.'}
              </span>
              <FieldError id="import-workspace-error" error={errors.workspace} />
            </div>
            {inspection.format === 'dotenv' && (
              <label className="check">
                <input type="checkbox" checked={split} disabled={busy !== null} onChange={(e) => setSplit(e.target.checked)} />
                One secret per line (otherwise the whole file is one key–value secret)
              </label>
            )}
            <FormError error={stage.kind === 'file' ? formError : null} />
            {busy && stage.kind === 'file' && <ImportProgress text={busy} />}
            <div className="panel-foot">
              <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void preview()} data-testid="import-preview-button">
                {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <FileInput size={16} aria-hidden />}
                {stage.kind === 'preview' ? 'Update preview' : 'Preview'}
              </button>
            </div>
          </section>
        )}

        {busy && stage.kind === 'choose' && <ImportProgress text={busy} />}
        {stage.kind === 'choose' && <FormError error={formError} />}

        {stage.kind === 'preview' && (
          <ImportPreview
            result={stage.preview}
            strategy={strategy}
            perItem={perItem}
            busy={busy}
            progress={busy && <ImportProgress text={busy} />}
            error={formError}
            onStrategy={(s) => {
              setStrategy(s);
              setPerItem(new Map());
            }}
            onItem={chooseFor}
            onApply={() => void apply()}
            onCancel={startOver}
          />
        )}
      </div>
    </div>
  );
}

/** The core reads, compares or writes in one call: an indeterminate bar with what it is doing. */
export function ImportProgress({ text }: { text: string }) {
  return (
    <div className="export-progress" role="status" data-testid="import-progress">
      <div className="progress-track" role="progressbar" aria-label="Working" aria-valuetext="Working">
        <div className="progress-bar-indeterminate" />
      </div>
      <span>{text}</span>
    </div>
  );
}
