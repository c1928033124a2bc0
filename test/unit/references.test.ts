import { describe, expect, it } from 'vitest';
import { isReference, parseReference } from '../../electron/core/secrets/references';
import { fillTemplate, parseTemplate } from '../../electron/core/secrets/templates';

describe('parseReference', () => {
  it('reads each level, the field being optional (undefined: the main value)', () => {
    expect(parseReference('coffer://personal/api')).toEqual({ text: 'coffer://personal/api', place: { level: 'personal', name: 'api' } });
    expect(parseReference('coffer://organization/stripe#value')).toEqual({
      text: 'coffer://organization/stripe#value',
      place: { level: 'organization', name: 'stripe' },
      field: 'value',
    });
    expect(parseReference('coffer://workspace/Backend/db#DB_PASS')).toMatchObject({ place: { level: 'workspace', workspace: 'Backend', name: 'db' }, field: 'DB_PASS' });
    expect(parseReference('coffer://personal/api').field).toBeUndefined();
  });

  it('percent-decodes each part as UTF-8, so names may hold spaces, slashes, # and non-ASCII', () => {
    expect(parseReference('coffer://workspace/Data%20Team/db%20pass#password')).toMatchObject({
      place: { level: 'workspace', workspace: 'Data Team', name: 'db pass' },
      field: 'password',
    });
    expect(parseReference('coffer://personal/a%2Fb%23c%25d').place.name).toBe('a/b#c%d');
    expect(parseReference('coffer://personal/caf%C3%A9').place.name).toBe('café');
    expect(parseReference('coffer://personal/café').place.name).toBe('café');
    expect(parseReference('coffer://personal/kv#MY%20KEY').field).toBe('MY KEY');
  });

  it.each([
    ['http://personal/api', /must start with coffer:\/\//],
    ['coffer:/personal/api', /must start with coffer:\/\//],
    ['coffer://', /the place must be/],
    ['coffer://team/api', /the place must be/],
    ['coffer://Personal/api', /the place must be/],
    ['coffer://personal', /expected coffer:\/\/personal\/NAME/],
    ['coffer://personal/a/b', /expected coffer:\/\/personal\/NAME/],
    ['coffer://organization/', /the secret name is empty/],
    ['coffer://workspace/api', /expected coffer:\/\/workspace\/WORKSPACE\/NAME/],
    ['coffer://workspace//api', /the workspace name is empty/],
    ['coffer://personal/api#', /the field is empty/],
    ['coffer://personal/%20', /the secret name is empty/],
    ['coffer://personal/a b', /must be percent-encoded/],
    ['coffer://personal/a%2', /must be percent-encoded/],
    ['coffer://personal/a%zz', /must be percent-encoded/],
    ['coffer://personal/a?x=1', /must be percent-encoded/],
    ['coffer://personal/a}', /must be percent-encoded/],
    ['coffer://personal/api#a#b', /must be percent-encoded/],
    ['coffer://personal/a\tb', /must be percent-encoded/],
    ['coffer://personal/%C3%28', /not valid UTF-8/],
  ])('refuses %s', (text, why) => {
    let error: unknown;
    try {
      parseReference(text);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'reference', message: expect.stringMatching(why) });
  });

  it('treats only text starting with coffer:// as a reference', () => {
    expect(isReference('coffer://personal/x')).toBe(true);
    expect(isReference(' coffer://personal/x')).toBe(false);
    expect(isReference('postgres://db/x')).toBe(false);
  });
});

describe('templates', () => {
  it('replaces {{ coffer://… }} tokens, spaces or tabs inside the braces optional, and keeps everything else', () => {
    const text = 'a: {{ coffer://personal/x }}\nb: {{coffer://workspace/W/y#f}}-{{\tcoffer://personal/x\t}}\n# see coffer://personal/z\nc: {{ .Values.other }}\n';
    const t = parseTemplate(text);
    expect(t.tokens.map((k) => [k.reference.text, k.line])).toEqual([
      ['coffer://personal/x', 1],
      ['coffer://workspace/W/y#f', 2],
      ['coffer://personal/x', 2],
    ]);
    expect(fillTemplate(t, ['1', '2', '3'])).toBe('a: 1\nb: 2-3\n# see coffer://personal/z\nc: {{ .Values.other }}\n');
  });

  it('puts values in as they are, with no escaping and no second pass', () => {
    const t = parseTemplate('{{ coffer://personal/a }}{{ coffer://personal/b }}');
    expect(fillTemplate(t, ['{{ coffer://personal/b }}', '$x\n"'])).toBe('{{ coffer://personal/b }}$x\n"');
  });

  it('copies a template without tokens unchanged', () => {
    const t = parseTemplate('plain\r\ntext {{ x }}');
    expect(t.tokens).toEqual([]);
    expect(fillTemplate(t, [])).toBe('plain\r\ntext {{ x }}');
  });

  it.each([
    ['x\n{{ coffer://personal/a\n}}', /^line 2: .*not closed by }} on its line/],
    ['{{ coffer://personal/a }', /^line 1: .*not closed/],
    ['ok\n\n{{ coffer://personal/a b }}', /^line 3: "coffer:\/\/personal\/a b" is not a valid reference/],
    ['{{ coffer://nowhere/a }}', /^line 1: .*the place must be/],
  ])('refuses a token that opens a reference but is not one: %j', (text, why) => {
    expect(() => parseTemplate(text)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'template', message: expect.stringMatching(why) }));
  });
});
