import { describe, it } from 'vitest';
import { registerSecret } from '../../electron/core/secrets/registration';
import { PASSWORD, useTempDirs } from '../integration/cli/run';
import { newVault } from '../support/vault';
import type { Observed } from './harness';
import { TIMEOUT_MS, killOnce, kills, killRepeatedly, lines, observe, planKill, reportKills, runAndKill } from './harness';

/**
 * A vault of alice (fast KDF), made in this process: the commands under test are the killed ones,
 * and a `coffer init` or `secret add` to set the stage would cost a CLI start-up each.
 */
async function vaultWith(dir: string, secret?: { name: string; value: string }): Promise<string> {
  const { path, vault, session } = await newVault(dir);
  if (secret) registerSecret(session, { type: 'api-key', name: secret.name, fields: { headerName: 'X-Key', value: secret.value } });
  vault.close();
  return path;
}

describe.concurrent('SIGKILL during single writes: the vault is as before or as after, never between', () => {
  const tmp = useTempDirs();

  it('secret add', { timeout: TIMEOUT_MS }, async () => {
    const vault = await vaultWith(tmp());
    const see = () => observe(vault, 'alice', [PASSWORD], (n) => n.startsWith('k'));
    let state = await see();
    const t = await killRepeatedly(kills(65), async (i, tally) => {
      const value = `crash-add-value-${i}`;
      const after: Observed = { ...state, secrets: state.secrets + 1, byStatus: { active: (state.byStatus.active ?? 0) + 1 }, values: { ...state.values, [`k${i}`]: value } };
      const args = ['--password-stdin', 'secret', 'add', 'api-key', `k${i}`, '--header', 'X-Key', '--value-stdin'];
      state = await killOnce(tally, () => runAndKill(vault, args, lines(PASSWORD, value), planKill(i, tally.workMs)), see, state, after);
    });
    reportKills('secret add', t);
  });

  it('secret edit', { timeout: TIMEOUT_MS }, async () => {
    const vault = await vaultWith(tmp(), { name: 'edited', value: 'crash-edit-value-start' });
    const see = () => observe(vault, 'alice', [PASSWORD], (n) => n === 'edited');
    let state = await see();
    const t = await killRepeatedly(kills(60), async (i, tally) => {
      const value = `crash-edit-value-${i}`;
      const args = ['--password-stdin', 'secret', 'edit', 'edited', '--value-stdin'];
      state = await killOnce(tally, () => runAndKill(vault, args, lines(PASSWORD, value), planKill(i, tally.workMs)), see, state, { ...state, values: { edited: value } });
    });
    reportKills('secret edit', t);
  });

  it('passwd', { timeout: TIMEOUT_MS }, async () => {
    const vault = await vaultWith(tmp(), { name: 'kept', value: 'crash-passwd-value' });
    const passwords = [PASSWORD, 'the other crash password'];
    const see = () => observe(vault, 'alice', passwords, (n) => n === 'kept');
    let state = await see();
    const t = await killRepeatedly(kills(55), async (i, tally) => {
      const next = passwords.find((p) => p !== state.password)!;
      state = await killOnce(tally, () => runAndKill(vault, ['--password-stdin', 'passwd'], lines(state.password, next), planKill(i, tally.workMs)), see, state, { ...state, password: next });
    });
    reportKills('passwd', t);
  });

  it('member add', { timeout: TIMEOUT_MS }, async () => {
    const vault = await vaultWith(tmp());
    const see = () => observe(vault, 'alice', [PASSWORD], () => false);
    let state = await see();
    const t = await killRepeatedly(kills(60), async (i, tally) => {
      // `--as`: after the first member joined, the vault has several.
      const args = ['--as', 'alice', '--password-stdin', 'member', 'add', `m${i}`, '--role', 'member'];
      const after = { ...state, members: [...state.members, `m${i}`].sort() };
      state = await killOnce(tally, () => runAndKill(vault, args, lines(PASSWORD, `member ${i} password`), planKill(i, tally.workMs)), see, state, after);
    });
    reportKills('member add', t);
  });
});
