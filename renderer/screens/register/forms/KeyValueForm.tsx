import { useState } from 'react';
import type { Pair } from '../../../../shared/dotenv';
import { parsePairsFile } from '../../../../shared/dotenv';
import { typeFields } from '../../../../shared/schemas/secret-types';
import { FieldError } from '../../../components/Field';
import { FileField } from '../../../components/form/FileField';
import type { PairRow } from '../../../components/form/PairsEditor';
import { PairsEditor, newPairRow } from '../../../components/form/PairsEditor';
import type { FieldErrors } from '../../../lib/errors';
import { sentence } from '../../../lib/errors';
import { readFileText } from '../../../lib/files';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import type { TypeDraft } from './TypeDraft';

type Method = 'manual' | 'file';

interface PairsFile {
  fileName: string;
  pairs: Pair[];
}

interface KeyValueFormProps {
  method: Method;
  onMethod: (method: Method) => void;
  rows: PairRow[];
  onRows: (rows: PairRow[]) => void;
  file: PairsFile | null;
  onFile: (file: File | null) => void;
  errors: FieldErrors;
  busy: boolean;
}

/** Keys and values typed row by row, or read from a .env or JSON file. */
function KeyValueForm({ method, onMethod, rows, onRows, file, onFile, errors, busy }: KeyValueFormProps) {
  return (
    <>
      <fieldset>
        <legend className="field-label">Registration Method</legend>
        <div className="choice-row">
          <label className="radio-card">
            <input type="radio" name="kv-method" checked={method === 'manual'} disabled={busy} onChange={() => onMethod('manual')} />
            Enter keys and values
          </label>
          <label className="radio-card">
            <input type="radio" name="kv-method" checked={method === 'file'} disabled={busy} onChange={() => onMethod('file')} />
            Add a .env or JSON file
          </label>
        </div>
      </fieldset>
      {method === 'manual' ? (
        <div className="field">
          <PairsEditor idPrefix="reg-pair" rows={rows} onChange={onRows} errors={errors} disabled={busy} />
          <FieldError id="reg-pairs-error" error={errors.pairs} />
        </div>
      ) : (
        <FileField
          id="reg-pairs"
          testId="pairs-file"
          label="Key/Value file"
          accept=".env,.json,application/json,text/plain"
          hint={file ? `${file.pairs.length} keys read from ${file.fileName}` : 'KEY=VALUE lines (.env), or one JSON object of keys and values'}
          error={errors.pairs}
          disabled={busy}
          onFile={onFile}
        />
      )}
    </>
  );
}

export function usePairsFields({ errors, setErrors, clearError }: FieldErrorsState): TypeDraft {
  const [method, setMethod] = useState<Method>('manual');
  const [rows, setRows] = useState<PairRow[]>(() => [newPairRow()]);
  const [file, setFile] = useState<PairsFile | null>(null);

  /** Manual rows actually sent (blank rows dropped), and the row each came from, for its errors. */
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

  async function onFile(chosen: File | null) {
    clearError('pairs');
    setFile(null);
    if (!chosen) return;
    try {
      const pairs = parsePairsFile(chosen.name, await readFileText(chosen));
      setFile({ fileName: chosen.name, pairs });
    } catch (e) {
      setErrors((prev) => ({ ...prev, pairs: sentence(e instanceof Error ? e.message : 'The file could not be read') }));
    }
  }

  return {
    fields: () => (method === 'file' ? (file ? { pairs: file.pairs } : {}) : { pairs: manualPairs().pairs }),
    errorKey: (key) => {
      const m = /^pairs\.(\d+)\.(key|value)$/.exec(key);
      if (!m) return key;
      if (method === 'file') return 'pairs';
      return `pairs.${manualPairs().origin[Number(m[1])] ?? m[1]}.${m[2]}`;
    },
    keptErrors: () => ({}),
    reading: false,
    shown: typeFields('key-value').map((f) => f.key),
    render: (busy) => (
      <KeyValueForm
        method={method}
        onMethod={(next) => {
          setMethod(next);
          if (next === 'manual') clearError('pairs');
          else setErrors({});
        }}
        rows={rows}
        onRows={(next) => {
          setRows(next);
          setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('pairs'))));
        }}
        file={file}
        onFile={(f) => void onFile(f)}
        errors={errors}
        busy={busy}
      />
    ),
  };
}
