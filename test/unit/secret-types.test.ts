import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildProgram } from '../../electron/cli/program';
import { editableKeys } from '../../shared/schemas/fields';
import { editSecretInput, fieldSchemas } from '../../shared/schemas/secrets';
import { ALL_FIELDS, FIELD_INPUT, SECRET_TYPES, SECRET_TYPE_DESCRIPTIONS, VALUE_STDIN_FLAG, typeFields } from '../../shared/schemas/secret-types';

const keys = (type: (typeof SECRET_TYPES)[number]) => typeFields(type).map((f) => f.key);

describe('the description of each secret type', () => {
  it.each(SECRET_TYPES)('%s: its fields are exactly those its register schema accepts, in order', (type) => {
    expect(Object.keys(fieldSchemas[type].shape)).toEqual(keys(type));
  });

  it.each(SECRET_TYPES)('%s: an edit may name each of its fields', (type) => {
    for (const key of keys(type)) {
      expect(editableKeys(type)).toContain(key);
      expect(editSecretInput.shape.fields.unwrap().shape).toHaveProperty(key);
    }
  });

  it.each(SECRET_TYPES)('%s: its main value is one of its fields, or none for a key/value set', (type) => {
    const main = SECRET_TYPE_DESCRIPTIONS[type].main;
    if (type === 'key-value') expect(main).toBeNull();
    else expect(keys(type)).toContain(main);
  });

  it('a field that serves several types is the same field in each', () => {
    const seen = new Map<string, unknown>();
    for (const f of SECRET_TYPES.flatMap((t) => typeFields(t))) {
      expect(seen.get(f.key) ?? f).toBe(f);
      seen.set(f.key, f);
    }
    expect(ALL_FIELDS.map((f) => f.key)).toEqual([...seen.keys()]);
  });

  it('hidden values are secret; only an optional file may be removed by an edit', () => {
    for (const f of ALL_FIELDS) {
      if (FIELD_INPUT[f.kind] === 'hidden') expect(f.secret).toBe(true);
      if (!f.required) expect(f.kind).toBe('file');
    }
  });

  it('the required fields are what a register schema refuses to go without', () => {
    for (const type of SECRET_TYPES) {
      const shape: Record<string, z.ZodType> = fieldSchemas[type].shape;
      for (const f of typeFields(type)) expect(shape[f.key]!.safeParse(undefined).success).toBe(!f.required);
    }
  });
});

describe('the CLI flags derived from it', () => {
  const program = buildProgram();
  const command = (name: string): Command => program.commands.find((c) => c.name() === 'secret')!.commands.find((c) => c.name() === name)!;
  const flagsOf = (name: string) => command(name).options.map((o) => o.flags);
  const described = ALL_FIELDS.flatMap((f) => {
    if (f.kind === 'secret-text') return [VALUE_STDIN_FLAG];
    if (f.kind === 'pairs') return [f.cli.flag, f.cliFile.flag];
    return [f.cli.flag];
  });

  it.each(['add', 'edit'])('secret %s registers every field flag once', (name) => {
    for (const flag of described) expect(flagsOf(name).filter((f) => f === flag)).toHaveLength(1);
  });

  it('secret edit removes an optional file with --no-<its flag>', () => {
    expect(flagsOf('edit')).toContain('--no-key');
    expect(flagsOf('add')).not.toContain('--no-key');
  });

  it('a repeatable flag collects every value', () => {
    const kv = SECRET_TYPE_DESCRIPTIONS['key-value'].fields[0].cli;
    const option = command('add').options.find((o) => o.flags === kv.flag)!;
    expect(option.parseArg!('B', option.parseArg!('A', undefined as never))).toEqual(['A', 'B']);
  });
});
