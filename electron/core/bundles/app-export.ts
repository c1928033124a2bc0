import { CofferError } from '../../../shared/errors';
import type { ExportBundleInput, ExportRecipients, ExportSelection, ExportedBundle } from '../../../shared/schemas/bundle-export';
import { exportBundleInput } from '../../../shared/schemas/bundle-export';
import type { UsageDoor } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { compareNames } from '../access/roster-state';
import { checkSettings } from '../vault/settings';
import type { Session } from '../vault/session';
import type { BundleRecipient } from './export';
import { exportBundle } from './export';
import { fingerprint } from './format';
import type { Outbox } from './outbox';

/**
 * The app's Export screen (docs/ui.md "Export"): the recipients it offers, and an export written to
 * the core's outbox for the door to deliver (shared/ipc.ts trait `download`).
 */

const signerOf = (s: Session) => ({ name: s.member.login, fingerprint: fingerprint(s.keyPairs().signPublic) });

export function exportRecipients(s: Session): ExportRecipients {
  s.assertUnlocked();
  const me = s.member.id;
  const members = [...s.roster.members.values()]
    .sort((a, b) => compareNames(a.login, b.login))
    .map((m) => ({ name: m.login, roleName: s.roster.roleName(m.role), fingerprint: fingerprint(m.boxPublic), you: m.id === me }));
  // Client Ids are listed where the credentials themselves are: for the roles that manage them.
  const credentials = s.may('credential.manage')
    ? [...s.roster.credentials.values()].sort((a, b) => compareNames(a.name, b.name)).map((c) => ({ name: c.name, clientId: c.id, fingerprint: fingerprint(c.boxPublic) }))
    : [];
  return { signer: signerOf(s), members, credentials, passphraseProfile: checkSettings(s).values.kdfProfile };
}

/** Lower-case letters, digits and single dashes: a file name part every system accepts. */
export function slug(text: string, max: number): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

function described(sel: ExportSelection): { words: string; part: string } {
  switch (sel.kind) {
    case 'all':
      return { words: 'everything you can read', part: 'all' };
    case 'workspace':
      return { words: `workspace ${sel.name}`, part: slug(sel.name, 40) || 'workspace' };
    case 'team':
      return { words: `team ${sel.name}`, part: `team-${slug(sel.name, 40)}`.replace(/-$/, '') };
    case 'secrets': {
      const n = new Set(sel.names).size;
      return { words: `${n} chosen secret${n === 1 ? '' : 's'}`, part: `${n}-secret${n === 1 ? '' : 's'}` };
    }
  }
}

/** `<organization>-<selection>-<YYYY-MM-DD>.cofferbundle`. */
export function bundleFileName(organization: string, sel: ExportSelection, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10);
  return `${[slug(organization, 40) || 'coffer', described(sel).part, day].join('-')}.cofferbundle`;
}

/**
 * Exports the selection to the chosen members, credentials and/or passphrase into the outbox. The
 * core checks everything exportBundle checks (the export permission for organization secrets, each
 * recipient, the passphrase's strength); a failure leaves no file.
 */
export function exportToOutbox(s: Session, outbox: Outbox, raw: ExportBundleInput, door: UsageDoor): ExportedBundle {
  const input = parseInput(exportBundleInput, raw);
  const recipients: BundleRecipient[] = [
    ...(input.members ?? []).map((name): BundleRecipient => ({ kind: 'member', name })),
    ...(input.credentials ?? []).map((clientId): BundleRecipient => ({ kind: 'credential', clientId })),
  ];
  if (input.passphrase !== undefined) recipients.push({ kind: 'passphrase', passphrase: input.passphrase, profile: checkSettings(s).values.kdfProfile });
  if (recipients.length === 0) throw new CofferError('VALIDATION', 'choose at least one recipient: a member, a service credential or a passphrase', 'recipients');
  const selection = input.selection.kind === 'secrets' ? { kind: 'secrets' as const, names: [...new Set(input.selection.names)] } : input.selection;
  const now = s.ctx.clock.now();
  const fileName = bundleFileName(s.vault.meta().organization ?? '', selection, now);
  const id = s.ctx.random.uuid();
  const r = exportBundle(s, { out: outbox.bundlePath(id), selection, recipients, door });
  outbox.offer(id, fileName, now);
  return {
    id: r.id,
    fileName,
    selection: described(selection).words,
    items: r.items,
    bytes: r.bytes,
    signer: signerOf(s),
    recipients: r.recipients,
    downloadId: id,
    savedTo: null,
  };
}
