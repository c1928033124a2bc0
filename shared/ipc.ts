import { z } from 'zod';
import type { Result } from './errors';
import {
  editSecretInput,
  fieldView,
  fileInput,
  isoDate,
  listSecretsInput,
  registerSecretInput,
  searchSecretsInput,
  revisionInfo,
  secretDetail,
  secretListing,
  secretSummary,
  secretUsage,
} from './schemas/secrets';
import { auditEntry, auditExportInput, auditFile, auditQuery, auditVerdict, notice } from './schemas/lifecycle';
import { settings } from './schemas/settings';
import { accountSummary, createAccountInput, createdAccount, issuedKey } from './schemas/accounts';
import { createCredentialInput, createdCredential, credentialSummary } from './schemas/credentials';
import { OPERATIONS, defineRoleInput, roleSummary, updateRoleInput } from './schemas/roles';
import { secretReader } from './schemas/secrets';
import { exportBundleInput, exportRecipients, exportedBundle } from './schemas/bundle-export';
import { importUploadInput, uploadInspection, uploadInput, uploadRef, uploaded } from './schemas/bundle-import';
import { importResult } from './schemas/bundles';
import { reportFile, reportFileInput, reviewInput, reviewSummary } from './schemas/review';
import { KDF_PROFILES, createVaultInput, memberName, memberSummary, teamSummary } from './schemas/vault';

/**
 * The one IPC contract (docs/product.md §9, docs/architecture.md "Conventions the code follows"): every channel once, with its input and
 * output schemas. The Electron registration, the preload bridge, the HTTP door and the renderer
 * client all take their types from here; adding a channel is one entry here plus one handler.
 */

const empty = z.object({}).strict();
const byId = z.object({ id: z.string().min(1).max(64) }).strict();
/** Members, workspaces, teams, roles and credentials are named by what people see: their names. */
const byName = z.object({ name: z.string().min(1).max(128) }).strict();
const renaming = z.object({ from: z.string().min(1).max(128), to: z.string().max(256) }).strict();
const confirmed = byName.extend({ confirm: z.string().max(256) }).strict();
/** A service account by its name (or id), and one of its keys. */
const account = z.string().min(1).max(128);
const accountKey = z.object({ account, keyId: z.string().min(1).max(64) }).strict();
const membership = z.object({ team: z.string().min(1).max(128), member: z.string().min(1).max(128) }).strict();

export const integrity = z.object({
  /** The audit log's first broken entry and how, as the end of the chain and its recorded breaks show it. */
  auditBroken: z.object({ brokenAt: z.number(), reason: z.string() }).optional(),
  /** The vault went back to an older state than this app had seen: `seen` and `now` are audit entry numbers. */
  rolledBack: z.object({ seen: z.number(), now: z.number() }).optional(),
  /** Settings whose MAC or bounds failed for this session: their defaults apply and nothing is purged. */
  settingsTampered: z.array(z.string()).optional(),
  /** Why the signed roster did not verify to its end: structure and roles are as its last good entry says, and cannot change. */
  rosterProblem: z.string().optional(),
  /** Where the clear member, workspace and team tables differ from the roster (what the locked views show was edited). */
  structureMismatch: z.array(z.string()).optional(),
  /** Key grants sealed to this member that nobody allowed to give them signed: not used. */
  grantsRejected: z.number().optional(),
  /** Scope keys the roster gives this member that have no grant to them in the file: those scopes stay closed. */
  grantsMissing: z.number().optional(),
  /** A vault made before the roster that no Account Holder has unlocked since: nothing is signed yet. */
  unsigned: z.boolean().optional(),
  /** Secrets due for deletion whose state did not verify against their head: kept, not purged. */
  purgesWithheld: z.number().optional(),
  /** Scopes this member should hold whose key did not open (a damaged or altered file), and the secrets only they open. */
  unreadable: z.array(z.object({ scope: z.string(), secrets: z.number() })).optional(),
});
export type Integrity = z.infer<typeof integrity>;

export const appStatus = z.object({
  state: z.enum(['none', 'locked', 'unlocked']),
  vault: z
    .object({
      path: z.string(),
      organization: z.string(),
      kdfProfile: z.enum(KDF_PROFILES),
      members: z.array(z.string()),
      readOnly: z.boolean(),
      /** Read-only by the door's --read-only flag: the app cannot reopen it for writing. */
      readOnlyForced: z.boolean(),
      demo: z.boolean(),
      /** The file was in an older format and was upgraded when this app opened it; the file as it was is kept at `backup`. */
      upgraded: z.object({ from: z.number(), to: z.number(), backup: z.string() }).nullable(),
    })
    .nullable(),
  member: z
    .object({
      name: z.string(),
      role: z.string(),
      roleName: z.string(),
      /**
       * What the permission table lets this member do now: the renderer hides what is missing, the
       * core refuses it. A read-only session leaves out every operation that writes (the core's permission table says which).
       */
      permissions: z.array(z.enum(OPERATIONS)),
      /** What the member's role allows, writes included even when read-only: which pages open, so a review still sees members and teams. */
      roleOperations: z.array(z.enum(OPERATIONS)),
      /** Unlocked with a one-time setup code: they must choose their password before anything else. */
      setupPending: z.boolean(),
    })
    .nullable(),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  counts: z.object({ personal: z.number(), organization: z.number() }),
  unreadNotices: z.number(),
  settings,
  /** What the vault's integrity checks found (docs/product.md §1a, §8); empty when nothing. */
  integrity,
});
export type AppStatus = z.infer<typeof appStatus>;

/**
 * What a door must do differently for a channel is declared here, with the channel, so that door code
 * asks "does this channel carry a clipboard value?" instead of naming channels.
 */
export interface ChannelTraits {
  /**
   * The result's `value` is for the clipboard: a door that owns the clipboard (Electron main) writes
   * it there and sends the renderer `null`; browser mode returns it for the page's Clipboard API.
   */
  clipboard?: true;
  /** The call tries a password: a door reachable by other local programs slows down after each failure. */
  guessesPassword?: true;
  /**
   * The result names a file the core wrote to its outbox (`downloadId`): the door delivers it. Browser
   * mode serves it once at `GET /download/ID` (with the launch token) and deletes it; Electron main
   * asks where to save it, moves it there and sends the renderer `savedTo` instead.
   */
  download?: true;
  /**
   * The input carries a file's bytes (`Uint8Array`), which JSON cannot: the desktop window sends them
   * over IPC; browser mode's HTTP door takes them only as the raw body of `POST /upload` (size-limited)
   * and refuses the channel at `/api/`.
   */
  upload?: true;
}

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, traits: ChannelTraits = {}) => ({ input, output, traits });

export const contract = {
  'app.status': channel(empty, appStatus),
  'vault.create': channel(createVaultInput, appStatus),
  'vault.demo': channel(empty, appStatus),
  'vault.unlock': channel(z.object({ member: memberName.optional(), password: z.string().min(1, 'Password is required').max(1024) }).strict(), appStatus, {
    guessesPassword: true,
  }),
  'vault.lock': channel(empty, appStatus),
  /** Reopens the locked vault read-only for a review, or read-write again (refused when the door was started with --read-only). */
  'vault.reopen': channel(z.object({ readOnly: z.boolean() }).strict(), appStatus),
  /** The unlocked member's new password; after a setup-code unlock, the only call allowed. */
  'vault.changePassword': channel(z.object({ current: z.string().min(1, 'Current password is required').max(1024), next: z.string().max(2048) }).strict(), appStatus, {
    guessesPassword: true,
  }),
  'settings.update': channel(settings.partial().strict(), appStatus),
  'workspaces.add': channel(z.object({ name: z.string() }).strict(), appStatus),
  'workspaces.rename': channel(renaming, appStatus),
  /** Refused (CONFLICT, with the count) while secrets live in it. */
  'workspaces.delete': channel(byName, appStatus),
  'members.list': channel(empty, z.array(memberSummary)),
  /** No password: the new member gets a one-time setup code, shown once, and chooses their own at first unlock. */
  'members.add': channel(z.object({ name: z.string().max(256), role: z.string().max(128) }).strict(), memberSummary.extend({ setupCode: z.string() })),
  'members.setRole': channel(z.object({ name: z.string().min(1).max(128), role: z.string().max(128) }).strict(), memberSummary),
  /** `confirm` is the member's login, typed. */
  'members.remove': channel(confirmed, z.object({ removed: z.literal(true) })),
  'roles.list': channel(empty, z.array(roleSummary)),
  'roles.define': channel(defineRoleInput, roleSummary),
  'roles.update': channel(updateRoleInput, roleSummary),
  'roles.delete': channel(z.object({ role: z.string().min(1).max(128) }).strict(), z.object({ deleted: z.literal(true) })),
  'teams.list': channel(empty, z.array(teamSummary)),
  'teams.add': channel(z.object({ name: z.string() }).strict(), teamSummary),
  'teams.rename': channel(renaming, teamSummary),
  /** Refused (CONFLICT, with the count) while the team is the only reader of organization secrets. */
  'teams.delete': channel(byName, z.object({ deleted: z.literal(true) })),
  'teams.addMember': channel(membership, teamSummary),
  'teams.removeMember': channel(membership, teamSummary),
  'credentials.list': channel(empty, z.array(credentialSummary)),
  /** Finish of the wizard: the Client Secret is in this answer and nowhere else, ever. */
  'credentials.create': channel(createCredentialInput, createdCredential),
  /** Edit changes teams only: the complete new list. */
  'credentials.setTeams': channel(z.object({ name: z.string().min(1).max(128), teams: z.array(z.string().max(128)).max(1000) }).strict(), credentialSummary),
  /** `confirm` is the credential's name, typed exactly. */
  'credentials.revoke': channel(confirmed, z.object({ revoked: z.literal(true) })),
  'accounts.list': channel(empty, z.array(accountSummary)),
  /** The first key's secret is in this answer and nowhere else, ever (as for each key added or renewed). */
  'accounts.create': channel(createAccountInput, createdAccount),
  /** `expires` is the new key's last day's end, `YYYY-MM-DD` (UTC). */
  'accounts.addKey': channel(z.object({ account, expires: isoDate.optional() }).strict(), issuedKey),
  /** Same key id, new secret: the old secret fails at once and every scope the account reads is rotated. */
  'accounts.renewKey': channel(accountKey, issuedKey),
  'accounts.deleteKey': channel(accountKey, z.object({ deleted: z.literal(true) })),
  /** `confirm` is the account's name, typed exactly. */
  'accounts.delete': channel(z.object({ account, confirm: z.string().max(256) }).strict(), z.object({ deleted: z.literal(true) })),
  'secrets.list': channel(listSecretsInput, secretListing),
  /** Names containing the query in every place this session reads, best matches first, at most `limit` rows. */
  'secrets.search': channel(searchSecretsInput, secretListing),
  'secrets.register': channel(registerSecretInput, secretSummary),
  'secrets.detail': channel(byId, secretDetail),
  'secrets.reveal': channel(byId, z.object({ fields: z.array(fieldView), hideAfterMs: z.number() })),
  'secrets.copy': channel(
    byId.extend({ field: z.string().max(256).optional() }),
    z.object({ value: z.string().nullable(), field: z.string().nullable(), clearAfterMs: z.number() }),
    { clipboard: true },
  ),
  'secrets.edit': channel(editSecretInput, secretSummary),
  'secrets.history': channel(byId, z.array(revisionInfo)),
  'secrets.restore': channel(byId.extend({ revision: z.number().int().min(1) }), secretSummary),
  /** An older revision's values, shown before restoring it: recorded as a reveal, as `secrets.reveal` is. */
  'secrets.revealRevision': channel(byId.extend({ revision: z.number().int().min(1) }), z.object({ fields: z.array(fieldView), hideAfterMs: z.number() })),
  'secrets.usage': channel(byId, secretUsage),
  /** Who can read a secret (members, teams, credentials) and why. */
  'secrets.readers': channel(byId, z.array(secretReader)),
  'secrets.scheduleDeletion': channel(byId.extend({ confirm: z.string().max(64) }), secretSummary),
  'secrets.cancelDeletion': channel(byId, secretSummary),
  'secrets.deleteNow': channel(byId.extend({ confirm: z.string().max(64) }), z.object({ deleted: z.literal(true) })),
  'notices.list': channel(z.object({ all: z.boolean().optional() }).strict(), z.array(notice)),
  'notices.markRead': channel(z.object({ ids: z.array(z.number().int()).max(10_000).optional() }).strict(), z.object({ marked: z.number() })),
  /** The review's figures (docs/review.md) over what this session may read: counts, "Needs attention", chart series. */
  'review.summary': channel(reviewInput, reviewSummary),
  /** The review report (docs/review.md) written to the core's outbox; the door delivers the file (trait `download`). */
  'review.report': channel(reportFileInput, reportFile, { download: true }),
  'audit.list': channel(auditQuery, z.array(auditEntry)),
  'audit.verify': channel(empty, auditVerdict),
  /** The entries the Audit screen's filters select, as CSV or JSON in the core's outbox; the door delivers the file (trait `download`). */
  'audit.export': channel(auditExportInput, auditFile, { download: true }),
  /** Whom the Export screen offers as recipients: members with their key fingerprints, credentials (for their managers), the signer. */
  'bundles.recipients': channel(empty, exportRecipients),
  /** Writes a signed, encrypted bundle to the core's outbox; the door delivers the file (trait `download`). The passphrase travels in the body only. */
  'bundles.export': channel(exportBundleInput, exportedBundle, { download: true }),
  /** A file to import, kept in the core's inbox (owner-only temp folder, emptied at lock) under the id returned. */
  'imports.upload': channel(uploadInput, uploaded, { upload: true }),
  /** What the uploaded file is; a bundle's header, checked, nothing decrypted. */
  'imports.inspect': channel(uploadRef, uploadInspection),
  /** A dry run: the preview table (added / changed / conflicting / unchanged) and what each choice would do. */
  'imports.preview': channel(importUploadInput, importResult),
  /** The import itself, with the same choices as the preview; the upload then leaves the inbox. */
  'imports.apply': channel(importUploadInput, importResult),
  /** The screen let go of an upload (cancelled, another file chosen): it is deleted. */
  'imports.discard': channel(uploadRef, z.object({ discarded: z.literal(true) })),
  /** Reads a certificate file without storing it, so the form can show its expiry before registering. */
  'certificates.inspect': channel(
    z.object({ certificate: fileInput('Certificate'), privateKey: fileInput('Private Key').optional() }).strict(),
    z.object({ subject: z.string(), issuer: z.string(), notAfter: z.number(), hasKey: z.boolean() }),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<K extends Channel> = z.input<Contract[K]['input']>;
export type Output<K extends Channel> = z.output<Contract[K]['output']>;

/** The door-specific behaviour declared with a channel. */
export const traitsOf = (name: Channel): ChannelTraits => contract[name].traits;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The one Electron IPC channel; the contract channel travels as its first argument. */
export const INVOKE_CHANNEL = 'coffer:invoke';

/** What the preload exposes as `window.coffer` and the HTTP client implements: one typed call. */
export interface CofferBridge {
  invoke<K extends Channel>(channel: K, input: Input<K>): Promise<Result<Output<K>>>;
}
