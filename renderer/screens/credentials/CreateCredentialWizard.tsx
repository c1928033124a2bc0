import { Check, ChevronLeft, ChevronRight, LoaderCircle } from 'lucide-react';
import { useRef, useState } from 'react';
import type { CreatedCredential } from '../../../shared/schemas/credentials';
import { credentialName } from '../../../shared/schemas/credentials';
import { Dialog } from '../../components/Dialog';
import { Field, FormError, describedBy } from '../../components/Field';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { TeamChecks } from './TeamChecks';

const STEPS = ['Name', 'Teams', 'Review'] as const;

/** Create service credential: name → teams → review → Finish; the answer (with the Client Secret) goes straight to the shown-once dialog. */
export function CreateCredentialWizard({ onClose, onCreated }: { onClose: () => void; onCreated: (c: CreatedCredential) => void }) {
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [teams, setTeams] = useState<string[]>([]);
  const [nameError, setNameError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  function next() {
    if (step === 0) {
      const parsed = credentialName.safeParse(name);
      if (!parsed.success) {
        setNameError(parsed.error.issues[0]!.message);
        nameRef.current?.focus();
        return;
      }
      setName(parsed.data);
    }
    setStep((s) => s + 1);
  }

  async function finish() {
    if (busy) return;
    setBusy(true);
    const r = await request('credentials.create', { name, teams });
    setBusy(false);
    // The limit per member and a taken name both come back here: said on the review step, where Back leads to the name.
    if (!r.ok) return setFormError(sentence(r.error.message));
    onCreated(r.value);
  }

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title="Create service credential"
      description="A pipeline’s identity: it reads the secrets available to the teams you choose, and nothing else."
      busy={busy}
      onSubmit={() => (step < STEPS.length - 1 ? next() : void finish())}
      initialFocus={nameRef}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <span className="spacer" />
          {step > 0 && (
            <button type="button" className="btn" onClick={() => (setStep((s) => s - 1), setFormError(undefined))} disabled={busy}>
              <ChevronLeft size={16} aria-hidden />
              Back
            </button>
          )}
          {step < STEPS.length - 1 ? (
            <button type="submit" className="btn btn-primary">
              Next
              <ChevronRight size={16} aria-hidden />
            </button>
          ) : (
            <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
              {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <Check size={16} aria-hidden />}
              {busy ? 'Creating…' : 'Finish'}
            </button>
          )}
        </>
      }
    >
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} className="step" data-state={i < step ? 'done' : i === step ? 'current' : 'todo'} aria-current={i === step ? 'step' : undefined}>
            <span className="step-num" aria-hidden>
              {i < step ? <Check size={12} /> : i + 1}
            </span>
            {s}
          </li>
        ))}
      </ol>
      <div className="form">
        {step === 0 && (
          <Field id="credential-name" label="Name" hint="What people see in lists and the audit log, e.g. the pipeline it belongs to" error={nameError}>
            <input
              ref={nameRef}
              id="credential-name"
              className="input"
              value={name}
              autoComplete="off"
              onChange={(e) => {
                setName(e.target.value);
                setNameError(undefined);
              }}
              {...describedBy('credential-name', nameError, true)}
            />
          </Field>
        )}
        {step === 1 && <TeamChecks legend="Teams whose secrets it reads" chosen={teams} onChange={setTeams} disabled={busy} />}
        {step === 2 && (
          <>
            <FormError error={formError} />
            <dl className="about review" data-testid="credential-review">
              <dt>Name</dt>
              <dd>{name}</dd>
              <dt>Teams</dt>
              <dd>{teams.length ? teams.join(', ') : 'None: it reads nothing until you add it to a team'}</dd>
            </dl>
            <p className="muted">Finish shows the Client Id, Client Secret and Realm once.</p>
          </>
        )}
      </div>
    </Dialog>
  );
}
