import { describe, expect, it } from 'vitest';
import { bundleFileName } from '../../electron/core/bundles/app-export';

describe('the name an exported bundle is offered under', () => {
  const at = Date.UTC(2026, 11, 6, 23, 30);
  it('is <organization>-<selection>-<date>.cofferbundle in lower-case letters, digits and dashes', () => {
    expect(bundleFileName('Acme Corp', { kind: 'workspace', name: 'Backend' }, at)).toBe('acme-corp-backend-2026-12-06.cofferbundle');
    expect(bundleFileName('Acme', { kind: 'team', name: 'Ops & SRE' }, at)).toBe('acme-team-ops-sre-2026-12-06.cofferbundle');
    expect(bundleFileName('Acme', { kind: 'secrets', names: ['a', 'b', 'a'] }, at)).toBe('acme-2-secrets-2026-12-06.cofferbundle');
    expect(bundleFileName('Acme', { kind: 'secrets', names: ['a'] }, at)).toBe('acme-1-secret-2026-12-06.cofferbundle');
    expect(bundleFileName('Acme', { kind: 'all' }, at)).toBe('acme-all-2026-12-06.cofferbundle');
  });

  it('never carries a path, a quote or a character some system refuses', () => {
    expect(bundleFileName('../../etc', { kind: 'workspace', name: 'a/b\\c"d' }, at)).toBe('etc-a-b-c-d-2026-12-06.cofferbundle');
    expect(bundleFileName('Société Générale', { kind: 'workspace', name: '日本' }, at)).toBe('societe-generale-workspace-2026-12-06.cofferbundle');
    expect(bundleFileName('', { kind: 'all' }, at)).toBe('coffer-all-2026-12-06.cofferbundle');
  });
});
