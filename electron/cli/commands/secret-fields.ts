import type { Command } from 'commander';
import { Option } from 'commander';
import { basename } from 'node:path';
import { CofferError } from '../../../shared/errors';
import type { Pair } from '../../../shared/dotenv';
import { parsePairsFile } from '../../../shared/dotenv';
import type { CliFlag, FieldDescription, SecretType } from '../../../shared/schemas/secret-types';
import { SECRET_TYPES, TYPE_LABELS, VALUE_STDIN_FLAG, typeFields } from '../../../shared/schemas/secret-types';
import { MAX_FILE_BYTES, MAX_VALUE_BYTES } from '../../../shared/schemas/fields';
import type { FieldsPatch } from '../../core/secrets/content';
import type { CliContext } from '../context';
import { readInputFile } from '../input-file';
import { warn } from '../output';

/** The field flags `secret add` and `secret edit` take, derived from the types' descriptions. */

/** Field flags as commander parses them: `--header X` → `header: 'X'`, `--no-key` → `key: false`. */
export type FieldFlags = Record<string, string | string[] | boolean | undefined>;

/** One flag, declared once however many fields and types share it (`--value-stdin` serves three). */
interface DerivedFlag {
  flag: CliFlag;
  labels: string[];
  types: SecretType[];
}

const VALUE_STDIN: CliFlag = { flag: VALUE_STDIN_FLAG };

function flagsOf(field: FieldDescription): CliFlag[] {
  switch (field.kind) {
    case 'secret-text':
      return [VALUE_STDIN];
    case 'pairs':
      return [field.cli, field.cliFile];
    default:
      return [field.cli];
  }
}

/** Every field flag in the order the types list their fields, with the fields and types it serves. */
function deriveFlags(): DerivedFlag[] {
  const byFlag = new Map<string, DerivedFlag>();
  for (const type of SECRET_TYPES) {
    for (const field of typeFields(type)) {
      for (const flag of flagsOf(field)) {
        const d = byFlag.get(flag.flag) ?? { flag, labels: [], types: [] };
        if (!d.labels.includes(field.label)) d.labels.push(field.label);
        if (!d.types.includes(type)) d.types.push(type);
        byFlag.set(flag.flag, d);
      }
    }
  }
  return [...byFlag.values()];
}
const FIELD_FLAGS = deriveFlags();

const orList = (words: string[]): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

function help({ flag, labels, types }: DerivedFlag): string {
  if (flag === VALUE_STDIN) return `read the value (${orList(labels)}) from the next stdin line`;
  return `${flag.help ?? labels.join(', ')} (${types.join(', ')})`;
}

const collect = (v: string, all: string[] = []): string[] => [...all, v];

function option(d: DerivedFlag): Option {
  const o = new Option(d.flag.flag, help(d));
  return d.flag.repeatable ? o.argParser(collect) : o;
}

/** The attribute commander stores a flag under (`--client-id` → `clientId`), and its long name. */
const nameOf = (flag: CliFlag) => {
  const o = new Option(flag.flag);
  return { attr: o.attributeName(), long: o.long! };
};
const given = (flags: FieldFlags, flag: CliFlag) => flags[nameOf(flag).attr];

export const fieldOptions = (cmd: Command): Command => {
  for (const d of FIELD_FLAGS) cmd.addOption(option(d));
  return cmd;
};

/** `--no-key`: an optional file field can be removed by an edit; declared after the flag it negates. */
export const removalOptions = (cmd: Command): Command => {
  for (const type of SECRET_TYPES) {
    for (const f of typeFields(type)) {
      if (f.kind === 'file' && !f.required) cmd.option(`--no-${nameOf(f.cli).long.slice(2)}`, `remove the ${f.label} (${type})`);
    }
  }
  return cmd;
};

/** Any field flag of another type is a usage error. */
export function checkFlags(type: SecretType, flags: FieldFlags): void {
  for (const d of FIELD_FLAGS) {
    if (given(flags, d.flag) !== undefined && !d.types.includes(type)) {
      throw new CofferError('VALIDATION', `${nameOf(d.flag).long} does not apply to a ${TYPE_LABELS[type]} secret`);
    }
  }
}

/** Reads a file a flag names, at most what a field can hold (1 MiB); its errors name the flag's field. */
function readFileFor(path: string, field: string): { fileName: string; base64: string; bytes: Buffer } {
  const bytes = readInputFile(path, MAX_FILE_BYTES, field, 'VALIDATION');
  return { fileName: basename(path), base64: bytes.toString('base64'), bytes };
}

function fileField(path: string, field: string): { fileName: string; base64: string } {
  const { bytes: _b, ...file } = readFileFor(path, field);
  return file;
}

/** The key a `--kv` flag names, as the schema will trim it. */
const kvKey = (flag: string): string => (flag.includes('=') ? flag.slice(0, flag.indexOf('=')) : flag).trim();

/** `--kv A=1 --kv A=2` is a typo, not an edit: refused before any value is read, the later one never silently kept. */
function refuseRepeatedKeys(flags: string[], field: string): void {
  const seen = new Set<string>();
  for (const key of flags.map(kvKey)) {
    if (seen.has(key)) throw new CofferError('VALIDATION', `--kv ${key} is given more than once`, field);
    seen.add(key);
  }
}

/** `--kv` pairs: values given in argv are accepted with a warning; bare keys read stdin. */
async function kvPairs(ctx: CliContext, flags: string[], field: string): Promise<Pair[]> {
  refuseRepeatedKeys(flags, field);
  const pairs: Pair[] = [];
  let warned = false;
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq >= 0) {
      if (!warned) warn('values given with --kv KEY=VALUE are visible to other processes; prefer --kv KEY and stdin');
      warned = true;
      pairs.push({ key: flag.slice(0, eq), value: flag.slice(eq + 1) });
    } else {
      pairs.push({ key: flag, value: await ctx.input.secret(`the value of ${flag}`, field, ctx.options.passwordStdin ?? false, MAX_VALUE_BYTES) });
    }
  }
  return pairs;
}

function filePairs(path: string, field: string): Pair[] {
  const f = readFileFor(path, field);
  return parsePairsFile(f.fileName, f.bytes.toString('utf8'));
}

const hidden = (ctx: CliContext, field: FieldDescription, fromStdin: boolean): Promise<string> =>
  ctx.input.secret(`the ${field.label.toLowerCase()}`, field.key, fromStdin, MAX_VALUE_BYTES);

const asString = (v: FieldFlags[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const asList = (v: FieldFlags[string]): string[] => (Array.isArray(v) ? v : []);

/** The fields of a new secret from its flags, the stdin lines or prompts they ask for, and the files they name. */
export async function registerFields(ctx: CliContext, type: SecretType, flags: FieldFlags): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  for (const field of typeFields(type)) {
    switch (field.kind) {
      case 'secret-text':
        fields[field.key] = await hidden(ctx, field, given(flags, VALUE_STDIN) === true);
        break;
      case 'file': {
        const path = asString(given(flags, field.cli));
        if (path !== undefined) fields[field.key] = fileField(path, field.key);
        else if (field.required) throw new CofferError('VALIDATION', `${field.label} is required: ${nameOf(field.cli).long} FILE`, field.key);
        break;
      }
      case 'pairs': {
        const file = asString(given(flags, field.cliFile));
        const pairs = new Map<string, string>();
        for (const p of file ? filePairs(file, field.key) : []) pairs.set(p.key, p.value);
        for (const p of await kvPairs(ctx, asList(given(flags, field.cli)), field.key)) pairs.set(p.key, p.value);
        fields[field.key] = [...pairs].map(([key, value]) => ({ key, value }));
        break;
      }
      default:
        fields[field.key] = given(flags, field.cli);
    }
  }
  return fields;
}

/** An edit's fields from its flags: only what they name changes; `--file` replaces all pairs, `--kv` sets some. */
export async function editFields(ctx: CliContext, type: SecretType, flags: FieldFlags, removeKeys: string[] | undefined): Promise<FieldsPatch> {
  const patch: Record<string, unknown> = {};
  for (const field of typeFields(type)) {
    switch (field.kind) {
      case 'secret-text':
        if (given(flags, VALUE_STDIN)) patch[field.key] = await hidden(ctx, field, true);
        break;
      case 'file': {
        const path = given(flags, field.cli);
        if (path === false) patch[field.key] = null;
        else if (typeof path === 'string') patch[field.key] = fileField(path, field.key);
        break;
      }
      case 'pairs': {
        const file = asString(given(flags, field.cliFile));
        const kv = given(flags, field.cli);
        if (file) patch[field.key] = filePairs(file, field.key);
        if (kv) patch.setPairs = await kvPairs(ctx, asList(kv), field.key);
        break;
      }
      default: {
        const value = given(flags, field.cli);
        if (value !== undefined) patch[field.key] = value;
      }
    }
  }
  if (removeKeys?.length) patch.removeKeys = removeKeys;
  return patch as FieldsPatch;
}
