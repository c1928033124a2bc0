import { useState } from 'react';
import type { z } from 'zod';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FormError, describedBy } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';

interface NameDialogProps {
  title: string;
  description?: string;
  label: string;
  initial?: string;
  submitLabel: string;
  /** The name's own rules (workspaceName, teamName), checked before the core is asked. */
  schema: z.ZodType<string, string>;
  /** The core's answer: null when done, or the errors to show (key `name` or `_form`). */
  onSubmit: (name: string) => Promise<FieldErrors | null>;
  onClose: () => void;
}

/** One name to type: create or rename a workspace or team. */
export function NameDialog({ title, description, label, initial = '', submitLabel, schema, onSubmit, onClose }: NameDialogProps) {
  const [name, setName] = useState(initial);
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    const parsed = schema.safeParse(name);
    if (!parsed.success) return show({ name: parsed.error.issues[0]!.message });
    if (parsed.data === initial) return onClose();
    setBusy(true);
    const errs = await onSubmit(parsed.data);
    setBusy(false);
    if (errs) show(errs);
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title={title}
      description={description}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label={submitLabel} busyLabel="Saving…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <Field id="name-dialog-name" label={label} error={errors.name}>
          <input
            id="name-dialog-name"
            className="input"
            value={name}
            disabled={busy}
            autoComplete="off"
            onChange={(e) => changing('name', setName)(e.target.value)}
            {...describedBy('name-dialog-name', errors.name)}
          />
        </Field>
      </div>
    </Dialog>
  );
}
