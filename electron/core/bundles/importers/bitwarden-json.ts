/**
 * Bitwarden's unencrypted JSON export, read item by item (json-items.ts) so that 100,000 items are
 * never one parsed tree. Two passes over the file: folders and collections may stand anywhere at the
 * top level, and an item's group needs them; the first pass keeps only them and steps over the items.
 */
import { CofferError } from '../../../../shared/errors';
import { fileBlocks } from './file-blocks';
import type { EntrySink, ForeignEntry, SkippedEntry } from './foreign';
import { JsonItemScanner, type JsonItemHandlers } from './json-items';

const FORMAT = 'Bitwarden JSON';

type Json = Record<string, unknown>;

interface ExportMeta {
  encrypted: boolean;
  folders: Map<string, string[]>;
  collections: Map<string, string[]>;
}

/** Identity fields in the order Bitwarden's own form shows them. */
const IDENTITY_FIELDS: [key: string, name: string][] = [
  ['title', 'title'],
  ['firstName', 'first name'],
  ['middleName', 'middle name'],
  ['lastName', 'last name'],
  ['username', 'username'],
  ['company', 'company'],
  ['ssn', 'social security number'],
  ['passportNumber', 'passport number'],
  ['licenseNumber', 'license number'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['address1', 'address 1'],
  ['address2', 'address 2'],
  ['address3', 'address 3'],
  ['city', 'city'],
  ['state', 'state'],
  ['postalCode', 'postal code'],
  ['country', 'country'],
];

const LINKED_FIELD = 3;

export function readBitwardenJson(path: string, sink: EntrySink): void {
  const meta = readMeta(path);
  if (meta.encrypted) {
    throw new CofferError('VALIDATION', 'this Bitwarden export is encrypted: export it as JSON (unencrypted)', 'file');
  }
  let index = 0;
  scan(
    path,
    {
      wants: () => false,
      value: () => undefined,
      item: (text, line) => deliver(parseItem(text, line, ++index), meta, index, sink),
    },
    sink,
  );
}

function readMeta(path: string): ExportMeta {
  const meta: ExportMeta = { encrypted: false, folders: new Map(), collections: new Map() };
  const scanner = scan(
    path,
    {
      wants: (key) => key === 'encrypted' || key === 'folders' || key === 'collections',
      value: (key, text, line) => takeMeta(meta, key, text, line),
      item: null,
    },
    null,
  );
  if (!scanner.sawItems && !meta.encrypted) {
    throw new CofferError('VALIDATION', `this file is not a ${FORMAT} export: it has no "items"`, 'file');
  }
  return meta;
}

function scan(path: string, handlers: JsonItemHandlers, sink: EntrySink | null): JsonItemScanner {
  const scanner = new JsonItemScanner(handlers, FORMAT);
  let first = true;
  for (const { bytes, end, size } of fileBlocks(path)) {
    scanner.feed(first ? withoutBom(bytes) : bytes);
    first = false;
    sink?.progress?.(end, size);
  }
  scanner.end();
  return scanner;
}

const withoutBom = (bytes: Buffer): Buffer =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;

function takeMeta(meta: ExportMeta, key: string, text: string, line: number): void {
  const value = parseJson(text, `"${key}" is not valid JSON`, line);
  if (key === 'encrypted') meta.encrypted = value === true;
  else if (key === 'folders') meta.folders = namesById(value);
  else meta.collections = namesById(value);
}

/** Bitwarden nests folders and collections by "/" in their names: "Work/Clients" is Clients in Work. */
function namesById(list: unknown): Map<string, string[]> {
  const names = new Map<string, string[]>();
  if (!Array.isArray(list)) return names;
  for (const it of list) {
    const o = asObject(it);
    const id = o && text(o.id);
    const name = o && text(o.name);
    if (id && name) names.set(id, name.split('/').filter((part) => part !== ''));
  }
  return names;
}

function parseJson(source: string, what: string, line: number): unknown {
  try {
    return JSON.parse(source);
  } catch {
    // JSON.parse's own message quotes the text around the fault, which may be a password.
    throw new CofferError('VALIDATION', `the ${FORMAT} is malformed at line ${line}: ${what}`, 'file');
  }
}

function parseItem(source: string, line: number, index: number): Json {
  const item = asObject(parseJson(source, `item ${index} is not valid JSON`, line));
  if (!item) throw new CofferError('VALIDATION', `the ${FORMAT} is malformed at line ${line}: item ${index} is not an object`, 'file');
  return item;
}

function deliver(item: Json, meta: ExportMeta, index: number, sink: EntrySink): void {
  const result = toEntry(item, meta, `item ${index}`);
  if ('reason' in result) sink.skipped(result);
  else sink.entry(result);
}

/** One item as its type states it; a type Bitwarden has not defined is reported, not guessed at. */
function toEntry(item: Json, meta: ExportMeta, source: string): ForeignEntry | SkippedEntry {
  const title = text(item.name) ?? '';
  const type = item.type;
  if (typeof type !== 'number' || type < 1 || type > 5) {
    const known = typeof type === 'number' ? `Bitwarden item type ${type} is not known` : 'the Bitwarden item has no type';
    return { source, title, reason: known };
  }
  const entry: ForeignEntry = {
    source,
    title,
    group: groupOf(item, meta),
    fields: customFields(item.fields),
    attachments: [],
  };
  setIf(entry, 'notes', text(item.notes));
  setIf(entry, 'created', time(item.creationDate));
  setIf(entry, 'updated', time(item.revisionDate));
  if (type === 1) addLogin(entry, asObject(item.login));
  else if (type === 3) addNamed(entry, cardFields(asObject(item.card)));
  else if (type === 4) addNamed(entry, identityFields(asObject(item.identity)));
  else if (type === 5) addNamed(entry, sshFields(asObject(item.sshKey)));
  return entry;
}

/** An organization's item sits in its first collection; a personal item in its folder. */
function groupOf(item: Json, meta: ExportMeta): string[] {
  const collectionIds = Array.isArray(item.collectionIds) ? item.collectionIds : [];
  const firstCollection = collectionIds.map((id) => meta.collections.get(String(id))).find((c) => c !== undefined);
  if (firstCollection) return [...firstCollection];
  const folder = text(item.folderId) && meta.folders.get(text(item.folderId)!);
  return folder ? [...folder] : [];
}

/** Linked fields only point at another field of the item: they hold nothing of their own. */
function customFields(fields: unknown): { name: string; value: string }[] {
  if (!Array.isArray(fields)) return [];
  return fields
    .map(asObject)
    .filter((f): f is Json => f !== undefined && f.type !== LINKED_FIELD)
    .map((f) => ({ name: text(f.name) ?? '', value: text(f.value) ?? '' }));
}

function addLogin(entry: ForeignEntry, login: Json | undefined): void {
  if (!login) return;
  setIf(entry, 'username', text(login.username));
  setIf(entry, 'password', text(login.password));
  setIf(entry, 'totp', text(login.totp));
  const uris = (Array.isArray(login.uris) ? login.uris : []).map((u) => text(asObject(u)?.uri)).filter((u) => u !== undefined);
  setIf(entry, 'url', uris[0]);
  uris.slice(1).forEach((uri, i) => entry.fields.push({ name: `uri ${i + 2}`, value: uri }));
}

function cardFields(card: Json | undefined): [string, string | undefined][] {
  if (!card) return [];
  const month = text(card.expMonth);
  const year = text(card.expYear);
  const expiry = month && year ? `${month.padStart(2, '0')}/${year}` : (month ?? year);
  return [
    ['cardholder', text(card.cardholderName)],
    ['brand', text(card.brand)],
    ['number', text(card.number)],
    ['expiry', expiry],
    ['code', text(card.code)],
  ];
}

function identityFields(identity: Json | undefined): [string, string | undefined][] {
  if (!identity) return [];
  return IDENTITY_FIELDS.map(([key, name]) => [name, text(identity[key])]);
}

function sshFields(ssh: Json | undefined): [string, string | undefined][] {
  if (!ssh) return [];
  return [
    ['private key', text(ssh.privateKey)],
    ['public key', text(ssh.publicKey)],
    ['fingerprint', text(ssh.keyFingerprint)],
  ];
}

/** Only what the item fills in: an empty card or identity form has a dozen blank fields. */
function addNamed(entry: ForeignEntry, fields: [string, string | undefined][]): void {
  for (const [name, value] of fields) if (value !== undefined) entry.fields.push({ name, value });
}

function setIf<K extends 'notes' | 'username' | 'password' | 'url' | 'totp' | 'created' | 'updated'>(
  entry: ForeignEntry,
  key: K,
  value: ForeignEntry[K] | undefined,
): void {
  if (value !== undefined) entry[key] = value;
}

function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** A string that says something; Bitwarden writes numbers for some (a card's month) and null for unset. */
function text(v: unknown): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function time(v: unknown): number | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Given the first KiB of a file: a JSON object whose first key is one a Bitwarden export starts with. */
export function looksLikeBitwardenJson(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"(encrypted|passwordProtected|folders|collections|items)"\s*:/.test(head);
}
