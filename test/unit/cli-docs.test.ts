import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

/**
 * docs/cli.md is generated from the commander program (scripts/cli-docs.js reads the built one in
 * dist/: `npm test` builds first). A command, option or exit code changed without regenerating fails here.
 */
it('docs/cli.md matches the commands of the built CLI', async () => {
  const generator = (await import(join(ROOT, 'scripts', 'cli-docs.js'))) as { cliDocs: () => string };
  const committed = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  expect(generator.cliDocs(), 'docs/cli.md is stale: run npm run docs:cli').toBe(committed);
});
