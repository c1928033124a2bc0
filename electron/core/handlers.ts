import type { z } from 'zod';
import type { Result } from '../../shared/errors';
import { CofferError, toErrorShape } from '../../shared/errors';
import type { Channel, Contract, Output } from '../../shared/ipc';
import { contract, isChannel } from '../../shared/ipc';
import { parseInput } from '../../shared/validation';
import type { CofferApp } from './app';
import { readAudit } from './audit/access';
import { auditToOutbox } from './audit/export';
import { exportRecipients, exportToOutbox } from './bundles/app-export';
import { acceptUpload, importUpload, inspectUpload } from './bundles/app-import';
import { cancelDeletion, deleteNow, scheduleDeletion } from './lifecycle/actions';
import { listNotices, markNoticesRead } from './lifecycle/notices';
import { reportToOutbox } from './review/app-report';
import { reviewSummary } from './review/summary';
import { inspectCertificate } from './secrets/certificate';
import { getSecretValue, listSecrets, revealRevision, secretUsage, showSecret } from './secrets/reading';
import { registerSecret } from './secrets/registration';
import { editSecret, restoreRevision, secretHistory } from './secrets/revisions';
import { searchVault } from './secrets/vault-search';
import { addAccountKey, createAccount, deleteAccount, deleteAccountKey, listAccounts, renewAccountKey } from './vault/accounts';
import { createCredential, listCredentials, revokeCredential, setCredentialTeams } from './vault/credentials';
import { addMember, listMembers, removeMember, setMemberRole } from './vault/members';
import { defineRole, deleteRole, listRoles, updateRole } from './vault/roles';
import {
  addTeam,
  addTeamMember,
  addWorkspace,
  deleteTeam,
  deleteWorkspace,
  listTeams,
  removeTeamMember,
  renameTeam,
  renameWorkspace,
} from './vault/structure';
import { whoCanRead } from './vault/who-reads';

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
    await app.startDemo();
    return app.status();
  },
  'vault.unlock': async (app, input) => {
    await app.unlock(input.member, input.password);
    return app.status();
  },
  'vault.lock': (app) => {
    app.lock();
    return app.status();
  },
  'vault.reopen': async (app, input) => {
    await app.reopen(input.readOnly);
    return app.status();
  },
  'settings.update': (app, input) => {
    app.updateSettings(input);
    return app.status();
  },
  'vault.changePassword': (app, input) => {
    app.changePassword(input.current, input.next);
    return app.status();
  },
  'workspaces.add': (app, input) => {
    addWorkspace(app.session(), input.name);
    return app.status();
  },
  'workspaces.rename': (app, input) => {
    renameWorkspace(app.session(), input.from, input.to);
    return app.status();
  },
  'workspaces.delete': (app, input) => {
    deleteWorkspace(app.session(), input.name);
    return app.status();
  },
  'members.list': (app) => listMembers(app.session()),
  'members.add': (app, input) => {
    const m = addMember(app.session(), { name: input.name, role: input.role });
    return { ...m, setupCode: m.setupCode! };
  },
  'members.setRole': (app, input) => setMemberRole(app.session(), input.name, input.role),
  'members.remove': (app, input) => {
    removeMember(app.session(), input.name, input.confirm);
    return { removed: true as const };
  },
  'roles.list': (app) => listRoles(app.session()),
  'roles.define': (app, input) => defineRole(app.session(), input),
  'roles.update': (app, input) => updateRole(app.session(), input),
  'roles.delete': (app, input) => {
    deleteRole(app.session(), input.role);
    return { deleted: true as const };
  },
  'teams.list': (app) => listTeams(app.session()),
  'teams.add': (app, input) => addTeam(app.session(), input.name),
  'teams.rename': (app, input) => renameTeam(app.session(), input.from, input.to),
  'teams.delete': (app, input) => {
    deleteTeam(app.session(), input.name);
    return { deleted: true as const };
  },
  'teams.addMember': (app, input) => addTeamMember(app.session(), input.team, input.member),
  'teams.removeMember': (app, input) => removeTeamMember(app.session(), input.team, input.member),
  'credentials.list': (app) => listCredentials(app.session()),
  'credentials.create': (app, input) => createCredential(app.session(), input),
  'credentials.setTeams': (app, input) => setCredentialTeams(app.session(), input.name, input.teams),
  'credentials.revoke': (app, input) => {
    revokeCredential(app.session(), input.name, input.confirm);
    return { revoked: true as const };
  },
  'accounts.list': (app) => listAccounts(app.session()),
  'accounts.create': (app, input) => createAccount(app.session(), input),
  'accounts.addKey': (app, input) => addAccountKey(app.session(), input.account, { expires: input.expires }),
  'accounts.renewKey': (app, input) => renewAccountKey(app.session(), input.account, input.keyId),
  'accounts.deleteKey': (app, input) => {
    deleteAccountKey(app.session(), input.account, input.keyId);
    return { deleted: true as const };
  },
  'accounts.delete': (app, input) => {
    deleteAccount(app.session(), input.account, input.confirm);
    return { deleted: true as const };
  },
  'secrets.list': (app, input) => listSecrets(app.session(), input),
  'secrets.search': (app, input) => searchVault(app.session(), input),
  'secrets.register': (app, input) => registerSecret(app.session(), input),
  'secrets.detail': (app, input) => showSecret(app.session(), { id: input.id }),
  'secrets.reveal': (app, input) => {
    const v = getSecretValue(app.session(), { id: input.id }, { use: { door: app.door, how: 'reveal' } });
    return { fields: v.fields, hideAfterMs: app.settings().revealSeconds * 1000 };
  },
  'secrets.copy': (app, input) => {
    const v = getSecretValue(app.session(), { id: input.id }, { field: input.field, use: { door: app.door, how: 'copy' } });
    return { value: v.value, field: v.field, clearAfterMs: app.settings().clipboardSeconds * 1000 };
  },
  'secrets.edit': (app, input) => editSecret(app.session(), input),
  'secrets.history': (app, input) => secretHistory(app.session(), { id: input.id }),
  'secrets.restore': (app, input) => restoreRevision(app.session(), { id: input.id }, input.revision),
  'secrets.revealRevision': (app, input) => ({
    fields: revealRevision(app.session(), { id: input.id }, input.revision, app.door),
    hideAfterMs: app.settings().revealSeconds * 1000,
  }),
  'secrets.usage': (app, input) => secretUsage(app.session(), { id: input.id }),
  'secrets.readers': (app, input) => whoCanRead(app.session(), { id: input.id }),
  'secrets.scheduleDeletion': (app, input) => scheduleDeletion(app.session(), { id: input.id }, input.confirm),
  'secrets.cancelDeletion': (app, input) => cancelDeletion(app.session(), { id: input.id }),
  'secrets.deleteNow': (app, input) => {
    deleteNow(app.session(), { id: input.id }, input.confirm);
    return { deleted: true as const };
  },
  'notices.list': (app, input) => listNotices(app.session(), input),
  'notices.markRead': (app, input) => ({ marked: markNoticesRead(app.session(), input.ids) }),
  'review.summary': (app, input) => reviewSummary(app.session(), input),
  'review.report': (app, input) => reportToOutbox(app.session(), app.outbox, input),
  'audit.list': (app, input) => readAudit(app.session(), input),
  'audit.verify': (app) => app.verifyAudit(),
  'audit.export': (app, input) => auditToOutbox(app.session(), app.outbox, input),
  'bundles.recipients': (app) => exportRecipients(app.session()),
  'bundles.export': (app, input) => exportToOutbox(app.session(), app.outbox, input, app.door),
  'imports.upload': (app, input) => acceptUpload(app.session(), app.inbox, input),
  'imports.inspect': (app, input) => inspectUpload(app.session(), app.inbox, input.id),
  'imports.preview': (app, input) => importUpload(app.session(), app.inbox, input, true),
  'imports.apply': (app, input) => importUpload(app.session(), app.inbox, input, false),
  'imports.discard': (app, input) => {
    app.session();
    app.inbox.discard(input.id);
    return { discarded: true as const };
  },
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
