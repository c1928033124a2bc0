import { FileOutput, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ExportBundleInput, ExportSelection, ExportedBundle } from '../../../shared/schemas/bundle-export';
import { bundlePassphrase } from '../../../shared/schemas/bundles';
import type { SecretSummary } from '../../../shared/schemas/secrets';
import { isDesktop } from '../../api/client';
import { FieldError, FormError } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import { sentence } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { may } from '../../state/nav';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import type { Delivery } from '../../lib/delivery';
import { deliver } from '../../lib/delivery';
import { ExportResult } from './ExportResult';
import type { RecipientsDraft } from './RecipientsSection';
import { RecipientsSection } from './RecipientsSection';
import { SecretPicker } from './SecretPicker';

type WhatKind = ExportSelection['kind'];

const EMPTY_RECIPIENTS: RecipientsDraft = { members: [], credentials: [], usePassphrase: false, passphrase: '', again: '' };

/** Where an error the core names a field of belongs on this screen. */
const FIELD_OF: Record<string, string> = {
  passphrase: 'passphrase',
  recipients: 'recipients',
  to: 'recipients',
  member: 'recipients',
  name: 'selection',
  secrets: 'selection',
  workspace: 'selection',
  team: 'selection',
  selection: 'selection',
};

/**
 * Export (docs/ui.md "Export"): what (a workspace, chosen secrets, what a team reads, or everything),
 * to whom (members, service credentials, a passphrase), then the bundle is written by the core and
 * delivered by the door: a download in browser mode, the save dialog in the desktop window.
 */
export function ExportView() {
  const status = useSession((s) => s.status)!;
  const mayOrganization = may(status.member?.permissions, 'bundle.exportOrganization');
  const workspaces = status.workspaces;
  const teams = status.teams;
  const recipients = useRequest('bundles.recipients', {});

  const [kind, setKind] = useState<WhatKind>(workspaces.length > 0 ? 'workspace' : 'secrets');
  const [workspace, setWorkspace] = useState(workspaces[0]?.name ?? '');
  const [team, setTeam] = useState(teams[0]?.name ?? '');
  const [chosen, setChosen] = useState<Map<string, SecretSummary>>(new Map());
  const [to, setTo] = useState<RecipientsDraft>(EMPTY_RECIPIENTS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ bundle: ExportedBundle; delivery: Delivery } | null>(null);

  const kinds: { id: WhatKind; label: string }[] = [
    { id: 'workspace', label: 'A workspace' },
    { id: 'secrets', label: 'Chosen secrets' },
    ...(mayOrganization ? [{ id: 'team' as const, label: 'What a team reads' }, { id: 'all' as const, label: 'Everything you can read' }] : []),
  ];

  const selection = (): ExportSelection | string => {
    switch (kind) {
      case 'workspace':
        return workspace ? { kind, name: workspace } : 'Choose a workspace';
      case 'team':
        return team ? { kind, name: team } : 'Choose a team';
      case 'secrets':
        return chosen.size > 0 ? { kind, names: [...new Set([...chosen.values()].map((s) => s.name))] } : 'Choose at least one secret';
      case 'all':
        return { kind };
    }
  };

  /** How many secrets the export will write, where the screen already knows. */
  const expected = (): number | null => {
    if (kind === 'workspace') return workspaces.find((w) => w.name === workspace)?.count ?? null;
    if (kind === 'secrets') return chosen.size;
    return null;
  };

  function check(): { input: ExportBundleInput } | { errors: FieldErrors } {
    const errs: FieldErrors = {};
    const sel = selection();
    if (typeof sel === 'string') errs.selection = sel;
    if (to.members.length === 0 && to.credentials.length === 0 && !to.usePassphrase) {
      errs.recipients = 'Choose at least one recipient: a member, a service credential or a passphrase';
    }
    if (to.usePassphrase) {
      const parsed = bundlePassphrase.safeParse(to.passphrase);
      if (!parsed.success) errs.passphrase = parsed.error.issues[0]!.message.replace(/^Password/, 'Passphrase');
      else if (to.passphrase !== to.again) errs.again = 'The two passphrases differ: type it again';
    }
    if (Object.keys(errs).length > 0 || typeof sel === 'string') return { errors: errs };
    return {
      input: {
        selection: sel,
        ...(to.members.length ? { members: to.members } : {}),
        ...(to.credentials.length ? { credentials: to.credentials } : {}),
        ...(to.usePassphrase ? { passphrase: to.passphrase } : {}),
      },
    };
  }

  function focusFirstError(errs: FieldErrors) {
    const order: [string, string][] = [
      ['selection', '#export-what-title'],
      ['recipients', '#export-to-title'],
      ['passphrase', '#export-passphrase'],
      ['again', '#export-again'],
    ];
    const first = order.find(([k]) => errs[k]);
    if (!first) return;
    const el = document.querySelector<HTMLElement>(first[1]);
    el?.scrollIntoView({ block: 'center' });
    if (el instanceof HTMLInputElement) el.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const checked = check();
    if ('errors' in checked) {
      setErrors(checked.errors);
      focusFirstError(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const r = await request('bundles.export', checked.input);
    if (!r.ok) {
      setBusy(false);
      const field = r.error.field ? FIELD_OF[r.error.field] : undefined;
      const message = sentence(r.error.message);
      if (field) {
        setErrors({ [field]: message });
        focusFirstError({ [field]: message });
      } else setFormError(message);
      return;
    }
    const delivery = await deliver(r.value);
    // The passphrase leaves the page's state once the bundle is made.
    setTo((t) => ({ ...t, passphrase: '', again: '' }));
    setBusy(false);
    setDone({ bundle: r.value, delivery });
  }

  if (done) {
    return (
      <div className="page">
        <div className="page-inner page-export">
          <ExportResult
            bundle={done.bundle}
            delivery={done.delivery}
            onAgain={() => {
              setDone(null);
              setTo(EMPTY_RECIPIENTS);
              // Focus goes back to the start of the form, not to the page's body.
              setTimeout(() => document.querySelector<HTMLInputElement>('input[name="export-what"]:checked')?.focus(), 0);
            }}
          />
        </div>
      </div>
    );
  }

  const count = expected();
  return (
    <div className="page">
      <form className="page-inner page-export" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <section className="panel" aria-labelledby="export-what-title">
          <div className="panel-head">
            <h2 id="export-what-title" tabIndex={-1}>
              1. What
            </h2>
            <p>{mayOrganization ? 'One workspace, secrets you choose, what a team reads, or everything you can read.' : 'One workspace, or secrets you choose. Your role may not export organization secrets.'}</p>
          </div>
          <fieldset>
            <legend className="visually-hidden">What to export</legend>
            <div className="choice-row">
              {kinds.map((k) => (
                <label key={k.id} className="radio-card">
                  <input
                    type="radio"
                    name="export-what"
                    value={k.id}
                    checked={kind === k.id}
                    disabled={busy}
                    onChange={() => {
                      setKind(k.id);
                      setErrors(({ selection: _drop, ...rest }) => rest);
                    }}
                  />
                  {k.label}
                </label>
              ))}
            </div>
          </fieldset>
          {kind === 'workspace' &&
            (workspaces.length === 0 ? (
              <p className="pick-empty">No workspaces yet — add one with + in the sidebar, or choose secrets instead.</p>
            ) : (
              <Picker id="export-workspace" label="Workspace">
                <select id="export-workspace" className="input" value={workspace} disabled={busy} onChange={(e) => setWorkspace(e.target.value)}>
                  {workspaces.map((w) => (
                    <option key={w.id} value={w.name}>
                      {w.name} — {formatCount(w.count)} {w.count === 1 ? 'secret' : 'secrets'}
                    </option>
                  ))}
                </select>
              </Picker>
            ))}
          {kind === 'team' &&
            (teams.length === 0 ? (
              <p className="pick-empty">No teams yet — create them on the Teams screen.</p>
            ) : (
              <Picker id="export-team" label="Team">
                <select id="export-team" className="input" value={team} disabled={busy} onChange={(e) => setTeam(e.target.value)}>
                  {teams.map((t) => (
                    <option key={t.id} value={t.name}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </Picker>
            ))}
          {kind === 'secrets' && (
            <SecretPicker
              chosen={chosen}
              onChange={(next) => {
                setChosen(next);
                setErrors(({ selection: _drop, ...rest }) => rest);
              }}
              organization={mayOrganization}
              disabled={busy}
              error={errors.selection}
            />
          )}
          {kind === 'all' && <p className="field-hint">Every secret you can read: personal, workspaces and the organization’s.</p>}
          <FieldError id="export-selection-error" error={errors.selection} />
        </section>

        <RecipientsSection
          options={recipients.value}
          loadError={recipients.error}
          draft={to}
          disabled={busy}
          errors={errors}
          onChange={(patch) => {
            setTo((t) => ({ ...t, ...patch }));
            setErrors(({ recipients: _r, passphrase: _p, again: _a, ...rest }) => rest);
          }}
        />

        <section className="panel" aria-labelledby="export-go-title">
          <div className="panel-head">
            <h2 id="export-go-title">3. Export</h2>
            <p>
              {isDesktop ? 'Coffer asks where to save the file.' : 'Your browser downloads the file.'} Only the recipients can decrypt it, and your signature
              shows who made it. Each secret exported counts as a use.
            </p>
          </div>
          {recipients.value && (
            <dl className="about export-facts">
              <dt>Signed by</dt>
              <dd>
                {recipients.value.signer.name} · key <span className="mono">{recipients.value.signer.fingerprint}</span>
              </dd>
            </dl>
          )}
          <FormError error={formError} />
          {busy && <ExportProgress count={count} />}
          <div className="panel-foot">
            <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
              {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <FileOutput size={16} aria-hidden />}
              {busy ? 'Exporting…' : 'Export bundle'}
            </button>
          </div>
        </section>
      </form>
    </div>
  );
}

function Picker({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field export-picker">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
    </div>
  );
}

/** The core writes the bundle in one pass and reports when done: an indeterminate bar, with the count where it is known. */
function ExportProgress({ count }: { count: number | null }) {
  const what = count === null ? 'the secrets' : `${formatCount(count)} ${count === 1 ? 'secret' : 'secrets'}`;
  return (
    <div className="export-progress" role="status" data-testid="export-progress">
      <div className="progress-track" role="progressbar" aria-label="Exporting" aria-valuetext="Working">
        <div className="progress-bar-indeterminate" />
      </div>
      <span>Encrypting and signing {what}…</span>
    </div>
  );
}
