import { z } from 'zod';
import { CofferError } from '../../../shared/errors';
import type { Settings } from '../../../shared/schemas/settings';
import { settings as settingsSchema } from '../../../shared/schemas/settings';
import { KDF_PROFILES } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import { ad } from '../crypto/aead';
import type { KdfParams } from '../crypto/kdf';
import { KDF_BOUNDS } from '../crypto/kdf';
import { integrityKey, wipe } from '../crypto/keys';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { MetaRow } from '../db/rows';
import type { Session } from './session';

/**
 * Every value in `meta` that changes what Coffer does (docs/product.md §1a): the app's timings and
 * the lifecycle's periods (§3, §4), and the KDF profile of new members and new passwords (§1).
 * Each is stored in clear beside a MAC under the organization key, so anyone holding the file can
 * read them (the scheduler does, while locked) but only a member can change them undetected.
 */
const storedSettings = settingsSchema.extend({ kdfProfile: z.enum(KDF_PROFILES) });
export type VaultSettings = z.infer<typeof storedSettings>;
export type SettingName = keyof VaultSettings;

export const DEFAULT_SETTINGS: VaultSettings = {
  revealSeconds: 30,
  clipboardSeconds: 30,
  autoLockMinutes: 5,
  inactiveDays: 30,
  deletionDays: 30,
  credentialsPerMember: 2,
  kdfProfile: 'standard',
};

/** The meta row of each setting; its MAC is in the row named `<key>_mac`. */
const META_KEYS: Record<SettingName, string> = {
  revealSeconds: 'reveal_seconds',
  clipboardSeconds: 'clipboard_seconds',
  autoLockMinutes: 'auto_lock_minutes',
  inactiveDays: 'inactive_days',
  deletionDays: 'deletion_days',
  credentialsPerMember: 'credentials_per_member',
  kdfProfile: 'kdf_profile',
};

/**
 * Settings that came after vaults existed: while neither the value nor its MAC is stored (a vault
 * made before them), the default applies rather than TAMPERED. Deleting both rows sets such a
 * setting back to its default, the value a new vault starts with, and nothing more.
 */
const LATER_SETTINGS: ReadonlySet<SettingName> = new Set(['credentialsPerMember']);
const SETTING_NAMES = Object.keys(META_KEYS) as SettingName[];
const macKeyOf = (name: SettingName) => `${META_KEYS[name]}_mac`;

/** What a setting's MAC is computed with: the settings key of one organization key version. */
interface MacKey {
  vaultId: string;
  key: Uint8Array;
  version: number;
}

/** What a session can say about the settings it reads. */
export interface SettingsCheck {
  /** The values to act on: each verified and within bounds, else its default. */
  values: VaultSettings;
  /** Settings whose MAC is missing or wrong, or whose value is out of bounds: never acted on. */
  tampered: SettingName[];
}

type Meta = Map<string, string>;

function readMeta(db: Db): Meta {
  return new Map(db.query<MetaRow>('SELECT key, value FROM meta').all().map((r) => [r.key, r.value]));
}

/** A stored value within the bounds the Settings screen enforces (the same zod schema), or undefined. */
function bounded(name: SettingName, text: string | undefined): VaultSettings[SettingName] | undefined {
  if (text === undefined) return undefined;
  const candidate = name === 'kdfProfile' ? text : /^[0-9]{1,10}$/.test(text) ? Number(text) : undefined;
  const parsed = storedSettings.shape[name].safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** Each setting from `pick`, or its default where `pick` has none. */
function assemble(pick: (name: SettingName) => VaultSettings[SettingName] | undefined): VaultSettings {
  const chosen = Object.fromEntries(SETTING_NAMES.map((name) => [name, pick(name) ?? DEFAULT_SETTINGS[name]]));
  // Every entry is a bounded value or a default, so this parse only gives the record its type.
  return storedSettings.parse(chosen);
}

/** BLAKE2b-256 keyed with the settings key, over `coffer/v1/setting ‖ vault ‖ key version ‖ meta key ‖ value`. */
function settingMac(k: MacKey, name: SettingName, text: string): Uint8Array {
  return sodium().crypto_generichash(32, ad('coffer/v1/setting', k.vaultId, k.version, META_KEYS[name], text), k.key);
}

/** A MAC row's value: the organization key version it was made under, and the MAC in hex. */
const macRow = (k: MacKey, name: SettingName, text: string) => `${k.version}:${sodium().to_hex(settingMac(k, name, text))}`;
const MAC_ROW = /^([0-9]{1,9}):([0-9a-f]{64})$/;

const hasMacs = (meta: Meta) => SETTING_NAMES.some((name) => meta.has(macKeyOf(name)));

/** The setting's value when its MAC, made under `k`'s key version, verifies and the value is in bounds. */
function verified(meta: Meta, name: SettingName, k: MacKey): VaultSettings[SettingName] | undefined {
  const text = meta.get(META_KEYS[name]);
  const stored = MAC_ROW.exec(meta.get(macKeyOf(name)) ?? '');
  if (text === undefined || !stored || Number(stored[1]) !== k.version) return undefined;
  const expected = settingMac(k, name, text);
  if (!sodium().memcmp(expected, sodium().from_hex(stored[2]!))) return undefined;
  return bounded(name, text);
}

function writeSettings(db: Db, k: MacKey, values: VaultSettings): void {
  const upsert = db.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (const name of SETTING_NAMES) {
    const text = String(values[name]);
    upsert.run(META_KEYS[name], text);
    upsert.run(macKeyOf(name), macRow(k, name, text));
  }
}

/** The settings key of the session's organization key; undefined when that key did not open for this member. */
function sessionMacKey(session: Session): MacKey | undefined {
  try {
    return { vaultId: session.vaultId, ...session.integrityKey('settings') };
  } catch (e) {
    if (e instanceof CofferError && e.code === 'FORBIDDEN') return undefined;
    throw e;
  }
}

/**
 * The settings as anyone holding the file reads them, bounds-checked but not authenticated: for
 * what runs before unlock (the locked lifecycle pass, the app's timings on the unlock screen),
 * which must therefore never do anything irreversible with them.
 */
export function clearSettings(db: Db): VaultSettings {
  return clearValues(readMeta(db));
}

function clearValues(meta: Meta): VaultSettings {
  return assemble((name) => bounded(name, meta.get(META_KEYS[name])));
}

/** The settings an unlocked member acts on: verified under the organization key, each one failing replaced by its default. */
export function checkSettings(session: Session): SettingsCheck {
  session.assertUnlocked();
  const meta = readMeta(session.db);
  const k = sessionMacKey(session);
  const tampered: SettingName[] = [];
  const values = assemble((name) => {
    if (LATER_SETTINGS.has(name) && !meta.has(META_KEYS[name]) && !meta.has(macKeyOf(name))) return undefined;
    const value = k && verified(meta, name, k);
    if (value === undefined) tampered.push(name);
    return value;
  });
  return { values, tampered };
}

/** The error that reports a check's first tampered setting, naming it; undefined when all verified. */
export function tamperedSettingsError(check: Pick<SettingsCheck, 'tampered'>): CofferError | undefined {
  const [first, ...more] = check.tampered;
  if (first === undefined) return undefined;
  const others = more.length ? ` (and ${more.map((n) => META_KEYS[n]).join(', ')})` : '';
  return new CofferError(
    'TAMPERED',
    `the vault setting ${META_KEYS[first]}${others} does not verify: its default is used and nothing is purged until an Account Holder saves the settings (or, in a vault made before settings were authenticated, unlocks it)`,
    first,
  );
}

/** The settings of a new vault: the defaults with the chosen KDF profile, MACed under the first organization key. */
export function writeInitialSettings(db: Db, vaultId: string, orgKey: Uint8Array, orgKeyVersion: number, kdfProfile: VaultSettings['kdfProfile']): void {
  const key = integrityKey(orgKey, 'settings');
  writeSettings(db, { vaultId, key, version: orgKeyVersion }, { ...DEFAULT_SETTINGS, kdfProfile });
  wipe(key);
}

/**
 * `settings.update` (Account Holder only): the patch and every other setting as the session acts
 * on it are written and MACed together, so saving also replaces a tampered setting by its default.
 */
export function changeSettings(session: Session, patch: Partial<Settings>): void {
  session.authorize('vault.settings');
  // A key present with `undefined` (structured clone and JSON-less callers carry them) changes nothing.
  const valid = Object.fromEntries(Object.entries(parseInput(settingsSchema.partial().strict(), patch)).filter(([, v]) => v !== undefined));
  const k = sessionMacKey(session);
  if (!k) throw new CofferError('FORBIDDEN', 'the organization key is not sealed to you');
  session.db.write(() => {
    writeSettings(session.db, k, { ...checkSettings(session).values, ...valid });
    session.audit('settings.update', Object.keys(valid).join(','));
  });
}

/** Argon2id parameters below the standard floor: what only the fast profile calibrates. */
const isFast = (p: Pick<KdfParams, 'opslimit' | 'memlimit'>) => p.opslimit < KDF_BOUNDS.standard.minOps || p.memlimit < KDF_BOUNDS.standard.minMem;

/**
 * A vault made before settings were authenticated has no MAC at all: the first unlock by a member
 * who may change settings (an Account Holder) adopts the values as they stand, bounds-checked, and
 * audits it. The fast KDF profile is adopted only when the unlocking member's own parameters,
 * which their successful unlock just proved, are fast ones too: a clear `kdf_profile` alone never
 * downgrades new passwords. Until then every member acts on the defaults and nothing is purged.
 */
export function adoptLegacySettings(session: Session, own: Pick<KdfParams, 'opslimit' | 'memlimit'>): void {
  const db = session.db;
  if (db.readOnly || !session.may('vault.settings')) return;
  const k = sessionMacKey(session);
  if (!k || hasMacs(readMeta(db))) return;
  try {
    db.write(() => {
      const meta = readMeta(db);
      // Checked again inside the transaction: another process may have adopted them meanwhile.
      if (hasMacs(meta)) return;
      const clear = clearValues(meta);
      writeSettings(db, k, { ...clear, kdfProfile: clear.kdfProfile === 'fast' && isFast(own) ? 'fast' : 'standard' });
      session.audit('settings.update', `adopted:${SETTING_NAMES.join(',')}`);
    });
  } catch (e) {
    // A busy vault is adopted at a later unlock; until then its settings are simply not trusted.
    if (!(e instanceof CofferError && e.code === 'LOCKED')) throw e;
  }
}

/**
 * For the organization key rotation, inside its transaction (`oldOrgKey`, `newOrgKey`: the
 * organization scope keys, not derived keys): each setting whose MAC verifies under the old key is
 * MACed under the new one, at `newVersion`. A setting that does not verify keeps its failing MAC,
 * so it stays TAMPERED, at its default, until an Account Holder saves the settings. Returns those.
 */
export function rekeySettings(db: Db, oldOrgKey: Uint8Array, newOrgKey: Uint8Array, newVersion: number): SettingName[] {
  const meta = readMeta(db);
  if (!hasMacs(meta)) return [];
  const vaultId = meta.get('vault_id') ?? '';
  const oldKey = integrityKey(oldOrgKey, 'settings');
  const next: MacKey = { vaultId, key: integrityKey(newOrgKey, 'settings'), version: newVersion };
  try {
    const setMac = db.stmt('UPDATE meta SET value = ? WHERE key = ?');
    const left: SettingName[] = [];
    for (const name of SETTING_NAMES) {
      // Checked under the version the row states: the version is inside the MAC, so it cannot be relabelled.
      const version = Number(MAC_ROW.exec(meta.get(macKeyOf(name)) ?? '')?.[1]);
      const text = meta.get(META_KEYS[name]);
      if (text === undefined || verified(meta, name, { vaultId, key: oldKey, version }) === undefined) left.push(name);
      else setMac.run(macRow(next, name, text), macKeyOf(name));
    }
    return left;
  } finally {
    wipe(oldKey, next.key);
  }
}
