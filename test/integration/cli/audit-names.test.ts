import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, initVault, ok, useTempDirs } from './run';

describe('coffer audit list in names', () => {
  const tmp = useTempDirs();

  it('finds entries by a secret’s name, a deleted one by its last known name, and writes them as CSV or JSON', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'v.coffer'));
    await ok(alice(['secret', 'add', 'api-key', 'OpenAI prod', '--header', 'X-Key', '--value-stdin'], 'openai-value'));
    await ok(alice(['secret', 'add', 'api-key', '@risky', '--header', 'X-Key', '--value-stdin'], 'risky-value'));
    await ok(alice(['secret', 'get', 'OpenAI prod']));
    await ok(alice(['secret', 'delete', 'OpenAI prod', '--now', '--confirm', 'DELETE']));

    const shown = await ok(alice(['audit', 'list', '--search', 'openai']));
    expect(shown.match(/OpenAI prod \(deleted\)/g)?.length).toBe(3);

    const json = JSON.parse(await ok(alice(['--json', 'audit', 'list', '--search', 'openai']))) as { action: string; targetName: string; targetDeleted: boolean }[];
    expect(json.map((e) => [e.action, e.targetName, e.targetDeleted])).toEqual([
      ['secret.delete', 'OpenAI prod', true],
      ['secret.get', 'OpenAI prod', true],
      ['secret.register', 'OpenAI prod', true],
    ]);

    const out = join(dir, 'audit.csv');
    expect(JSON.parse(await ok(alice(['--json', 'audit', 'list', '--search', 'risky', '--format', 'csv', '--out', out])))).toEqual({ out, format: 'csv', entries: 1 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const csv = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('seq,at,actor,actorName,action,target,targetName,targetDeleted,origin');
    expect(csv[1]).toMatch(/,alice,,secret\.register,[^,]+,'@risky,false,session$/);

    const again = await alice(['audit', 'list', '--format', 'csv', '--out', out]);
    expect(again.code).toBe(6);
    expect(errorLine(again.stderr)).toMatchObject({ code: 'CONFLICT', field: 'out' });
    const wrong = await alice(['audit', 'list', '--format', 'xml']);
    expect(errorLine(wrong.stderr)).toMatchObject({ code: 'VALIDATION', field: 'format' });
  });
});
