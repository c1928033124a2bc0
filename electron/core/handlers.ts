import type { z } from 'zod';
import type { Result } from '../../shared/errors';
import { CofferError, toErrorShape } from '../../shared/errors';
import type { Channel, Contract, Output } from '../../shared/ipc';
import { contract, isChannel } from '../../shared/ipc';
import { parseInput } from '../../shared/validation';
import type { CofferApp } from './app';
import { readAudit } from './audit/access';
import { cancelDeletion, deleteNow, scheduleDeletion } from './lifecycle/actions';
import { listNotices, markNoticesRead } from './lifecycle/notices';
import { inspectCertificate } from './secrets/certificate';
import { getSecretValue, listSecrets, secretUsage, showSecret } from './secrets/reading';
import { registerSecret } from './secrets/registration';
import { editSecret, restoreRevision, secretHistory } from './secrets/revisions';
import { addWorkspace } from './vault/structure';

type Handler<K extends Channel> = (app: CofferApp, input: z.output<Contract[K]['input']>) => Promise<Output<K>> | Output<K>;
export type Handlers = { [K in Channel]: Handler<K> };

/** The one map from contract channel to core operation, shared by the IPC and HTTP doors (docs/architecture.md "Doors and the core"). */
export const handlers: Handlers = {
  'app.status': (app) => app.status(),
  'vault.create': async (app, input) => {
    await app.create(input);
    return app.status();
  },
  'vault.demo': async (app) => {
    const demoPassword = await app.startDemo();
    return { ...(await app.status()), demoPassword };
  },
  'vault.unlock': async (app, input) => {
    await app.unlock(input.member, input.password);
    return app.status();
  },
  'vault.lock': (app) => {
    app.lock();
    return app.status();
  },
  'settings.update': (app, input) => {
    app.updateSettings(input);
    return app.status();
  },
  'workspaces.add': (app, input) => {
    addWorkspace(app.session(), input.name);
    return app.status();
  },
  'secrets.list': (app, input) => listSecrets(app.session(), input),
  'secrets.register': (app, input) => registerSecret(app.session(), input),
  'secrets.detail': (app, input) => showSecret(app.session(), { id: input.id }),
  'secrets.reveal': (app, input) => {
    const v = getSecretValue(app.session(), { id: input.id }, { consumer: app.consumer, purpose: 'reveal' });
    return { fields: v.fields, hideAfterMs: app.settings().revealSeconds * 1000 };
  },
  'secrets.copy': (app, input) => {
    const v = getSecretValue(app.session(), { id: input.id }, { field: input.field, consumer: app.consumer, purpose: 'copy' });
    return { value: v.value, field: v.field, clearAfterMs: app.settings().clipboardSeconds * 1000 };
  },
  'secrets.edit': (app, input) => editSecret(app.session(), input),
  'secrets.history': (app, input) => secretHistory(app.session(), { id: input.id }),
  'secrets.restore': (app, input) => restoreRevision(app.session(), { id: input.id }, input.revision),
  'secrets.usage': (app, input) => secretUsage(app.session(), { id: input.id }),
  'secrets.scheduleDeletion': (app, input) => scheduleDeletion(app.session(), { id: input.id }, input.confirm),
  'secrets.cancelDeletion': (app, input) => cancelDeletion(app.session(), { id: input.id }),
  'secrets.deleteNow': (app, input) => {
    deleteNow(app.session(), { id: input.id }, input.confirm);
    return { deleted: true as const };
  },
  'notices.list': (app, input) => listNotices(app.session(), input),
  'notices.markRead': (app, input) => ({ marked: markNoticesRead(app.session(), input.ids) }),
  'audit.list': (app, input) => readAudit(app.session(), input),
  'audit.verify': (app) => app.verifyAudit(),
  'certificates.inspect': (app, input) => inspectCertificate(app.session(), input),
};

/**
 * Validates a request against the contract, runs its handler and returns a Result. Unknown
 * channels and invalid input never reach the core; unexpected failures become INTERNAL with no detail.
 */
export async function dispatch(app: CofferApp, channel: unknown, input: unknown, hs: Handlers = handlers): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'NOT_FOUND', message: 'unknown channel' } };
  try {
    const parsed = parseInput(contract[channel].input, input ?? {});
    const handler = hs[channel] as (app: CofferApp, input: unknown) => unknown;
    return { ok: true, value: await handler(app, parsed) };
  } catch (e) {
    if (!(e instanceof CofferError) && process.env.COFFER_DEBUG) console.error(e);
    return { ok: false, error: toErrorShape(e) };
  }
}
