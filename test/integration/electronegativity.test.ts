import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { META_CONTENT_SECURITY_POLICY } from '../../shared/csp';

const ROOT = join(__dirname, '..', '..');

interface Finding {
  id: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  file: string;
  line: number;
}

/** High and medium findings Coffer accepts, each justified in SECURITY.md under its id ("Electronegativity"). */
const ACCEPTED = [{ id: 'PRELOAD_JS_CHECK', file: 'electron/main/window.ts' }];

describe('Electronegativity over the desktop app', () => {
  it('finds nothing high or medium beyond what SECURITY.md accepts and explains', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'electronegativity.js')], { cwd: ROOT });
    const findings = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Finding);
    // The scan saw the app: it read the Electron version and the page's CSP.
    expect(findings.map((f) => f.id)).toContain('ELECTRON_VERSION_JSON_CHECK');
    expect(findings.filter((f) => f.id === 'CSP_GLOBAL_CHECK').map((f) => [f.severity, f.file])).toEqual([['LOW', 'index.html']]);
    const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM').map(({ id, file }) => ({ id, file }));
    expect(serious).toEqual(ACCEPTED);
    const security = readFileSync(join(ROOT, 'SECURITY.md'), 'utf8');
    for (const a of ACCEPTED) expect(security).toContain(`\`${a.id}\``);
  });

  it("gives the page the doors' CSP in its own markup, less what a meta element cannot hold", () => {
    const html = readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
  });
});
