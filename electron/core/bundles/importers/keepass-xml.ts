/**
 * KeePassXC and KeePass 2 XML exports, read as a stream of SAX events so that only the entry being
 * read is ever held: a 100,000-entry file costs one entry of memory, not a tree of the file.
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { CofferError } from '../../../../shared/errors';
import { fileBlocks } from './file-blocks';
import type { EntrySink, ForeignEntry } from './foreign';

type StandardField = 'title' | 'username' | 'password' | 'url' | 'notes' | 'totp';

/** A Map, not an object: a custom field may well be named "constructor" or "__proto__". */
const STANDARD_KEYS = new Map<string, StandardField>([
  ['Title', 'title'],
  ['UserName', 'username'],
  ['Password', 'password'],
  ['URL', 'url'],
  ['Notes', 'notes'],
  // KeePassXC writes "otp"; older plugins "TOTP Seed"; KeePass 2.47+ "TimeOtp-Secret-Base32".
  ['otp', 'totp'],
  ['TOTP Seed', 'totp'],
  ['TimeOtp-Secret-Base32', 'totp'],
]);

/** KeePass's "no recycle bin" is the all-zero UUID. */
const NO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA==';

/** Seconds from 0001-01-01 (KDBX 4's epoch) to 1970-01-01. */
const KDBX_EPOCH_OFFSET_S = 62_135_596_800;

/** Elements whose text is kept, by name and then parent: every other element's text is dropped unread. */
const CAPTURED = new Map<string, Set<string | undefined>>([
  ['RecycleBinUUID', new Set(['Meta'])],
  ['Name', new Set(['Group'])],
  ['UUID', new Set(['Group'])],
  ['Key', new Set(['String', 'Binary'])],
  ['Value', new Set(['String'])],
  ['CreationTime', new Set(['Times'])],
  ['LastModificationTime', new Set(['Times'])],
  ['ExpiryTime', new Set(['Times'])],
  ['Expires', new Set(['Times'])],
]);

interface GroupFrame {
  name: string;
  uuid: string;
}

interface EntryDraft {
  entry: ForeignEntry;
  key: string;
  value: string;
  expiryTime?: number;
  expires: boolean;
}

const malformed = (line: number, column: number, what: string) =>
  new CofferError('VALIDATION', `the KeePass XML is malformed at line ${line}, column ${column}: ${what}`, 'file');

/**
 * saxes ends some messages with a tag or entity name, which in a damaged file can be a piece of a
 * value: only the words before the name are kept, so no secret reaches an error.
 */
const safeReason = (message: string): string =>
  message.replace(/^\d+:\d+: /, '').split(':')[0]!.replace(/\.$/, '');

export function readKeepassXml(path: string, sink: EntrySink): void {
  const reader = new KeepassReader(sink);
  const decoder = new StringDecoder('utf8');
  let first = true;
  for (const { bytes, end, size } of fileBlocks(path)) {
    let text = decoder.write(bytes);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    reader.write(text);
    sink.progress?.(end, size);
  }
  reader.write(decoder.end());
  reader.close();
}

/** The SAX events of one file, turned into entries as each </Entry> closes. */
class KeepassReader {
  private readonly parser = new SaxesParser({ position: true, xmlns: false });
  private readonly stack: string[] = [];
  private readonly groups: GroupFrame[] = [];
  private entry: EntryDraft | undefined;
  private captured: string | undefined;
  /** Depth inside an entry's <History>: old revisions of an entry, not items of their own. */
  private skipDepth = 0;
  private recycleBin = '';
  private entries = 0;

  constructor(private readonly sink: EntrySink) {
    this.parser.on('error', (e) => {
      throw malformed(this.parser.line, this.parser.column, safeReason(e.message));
    });
    this.parser.on('doctype', () => {
      // A DTD is how XXE and entity bombs get in; a KeePass export never has one.
      throw new CofferError('VALIDATION', 'the KeePass XML has a DOCTYPE, which a KeePass export never holds', 'file');
    });
    this.parser.on('opentag', (tag) => this.onOpen(tag));
    this.parser.on('closetag', (tag) => this.onClose(tag.name));
    this.parser.on('text', (text) => this.onText(text));
    this.parser.on('cdata', (text) => this.onText(text));
  }

  write(text: string): void {
    this.parser.write(text);
  }

  close(): void {
    this.parser.close();
  }

  private onOpen(tag: SaxesTagPlain): void {
    if (this.stack.length === 0 && tag.name !== 'KeePassFile') {
      throw new CofferError('VALIDATION', 'this file is not a KeePass XML export', 'file');
    }
    if (tag.name === 'Value' && tag.attributes.Protected?.toLowerCase() === 'true') {
      throw new CofferError(
        'VALIDATION',
        'this XML holds protected values: export it from KeePassXC as XML (unencrypted)',
        'file',
      );
    }
    const parent = this.stack[this.stack.length - 1];
    this.stack.push(tag.name);
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    if (tag.name === 'Group' && (parent === 'Root' || parent === 'Group')) {
      this.groups.push({ name: '', uuid: '' });
    } else if (tag.name === 'Entry' && parent === 'Group') {
      this.entry = { entry: emptyEntry(), key: '', value: '', expires: false };
    } else if (tag.name === 'History' && parent === 'Entry') {
      this.skipDepth = 1;
    } else if (CAPTURED.get(tag.name)?.has(parent) && this.inScope(parent)) {
      this.captured = '';
    }
  }

  /** Entry fields count only inside an entry being read, group fields only in a group. */
  private inScope(parent: string | undefined): boolean {
    const grand = this.stack[this.stack.length - 3];
    if (parent === 'Meta') return grand === 'KeePassFile';
    if (parent === 'Group') return grand === 'Root' || grand === 'Group';
    return this.entry !== undefined && grand === 'Entry';
  }

  private onText(text: string): void {
    if (this.captured !== undefined) this.captured += text;
  }

  private onClose(name: string): void {
    const parent = this.stack[this.stack.length - 2];
    this.stack.pop();
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (this.captured !== undefined) {
      this.take(`${parent}/${name}`, this.captured);
      this.captured = undefined;
    } else if (name === 'Group' && (parent === 'Root' || parent === 'Group')) {
      this.groups.pop();
    } else if (name === 'Entry' && parent === 'Group' && this.entry) {
      this.finish(this.entry);
      this.entry = undefined;
    } else if (name === 'String' && parent === 'Entry' && this.entry) {
      this.addString(this.entry);
    }
  }

  private take(where: string, text: string): void {
    const group = this.groups[this.groups.length - 1];
    if (where === 'Meta/RecycleBinUUID') this.recycleBin = text.trim() === NO_UUID ? '' : text.trim();
    else if (where === 'Group/Name' && group) group.name = text;
    else if (where === 'Group/UUID' && group) group.uuid = text.trim();
    else if (this.entry) takeEntryText(this.entry, where, text);
  }

  private addString(draft: EntryDraft): void {
    const { key, value, entry } = draft;
    draft.key = '';
    draft.value = '';
    const slot = STANDARD_KEYS.get(key);
    // A second Title or Password in one entry is kept as a field rather than lost.
    if (slot && (slot === 'title' ? entry.title === '' : entry[slot] === undefined)) {
      if (value !== '') entry[slot] = value;
    } else {
      entry.fields.push({ name: key, value });
    }
  }

  private finish(draft: EntryDraft): void {
    this.entries++;
    const { entry } = draft;
    // The first group under <Root> is the database itself, not a folder the user made.
    entry.group = this.groups.slice(1).map((g) => g.name);
    entry.source = [...entry.group, entry.title || `entry ${this.entries}`].join('/');
    if (draft.expires && draft.expiryTime !== undefined) entry.expires = draft.expiryTime;
    if (this.groups.some((g) => this.isRecycleBin(g))) {
      this.sink.skipped({ source: entry.source, title: entry.title, reason: 'in the recycle bin' });
    } else {
      this.sink.entry(entry);
    }
  }

  /** By the UUID Meta names; a file whose Meta names none is taken at KeePass's own name for the bin. */
  private isRecycleBin(group: GroupFrame): boolean {
    return this.recycleBin ? group.uuid === this.recycleBin : group.name === 'Recycle Bin';
  }
}

function takeEntryText(draft: EntryDraft, where: string, text: string): void {
  switch (where) {
    case 'String/Key':
      draft.key = text;
      break;
    case 'String/Value':
      draft.value = text;
      break;
    case 'Binary/Key':
      draft.entry.attachments.push(text);
      break;
    case 'Times/CreationTime':
      draft.entry.created = keepassTime(text);
      break;
    case 'Times/LastModificationTime':
      draft.entry.updated = keepassTime(text);
      break;
    case 'Times/ExpiryTime':
      draft.expiryTime = keepassTime(text);
      break;
    case 'Times/Expires':
      draft.expires = text.trim().toLowerCase() === 'true';
  }
}

function emptyEntry(): ForeignEntry {
  return { source: '', title: '', group: [], fields: [], attachments: [] };
}

/**
 * KeePass 2 writes ISO 8601 in UTC; KDBX 4 writes base64 of a little-endian int64 of seconds since
 * 0001-01-01. A time that is neither is left out rather than failing the whole file.
 */
export function keepassTime(text: string): number | undefined {
  const t = text.trim();
  let ms: number;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(t)) ms = Date.parse(`${t}Z`);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(t)) ms = Date.parse(t);
  else if (/^[A-Za-z0-9+/]{11}=$/.test(t)) {
    ms = (Number(Buffer.from(t, 'base64').readBigInt64LE(0)) - KDBX_EPOCH_OFFSET_S) * 1000;
  } else return undefined;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

/** Given the first KiB of a file: an XML document whose root element is <KeePassFile>. */
export function looksLikeKeepassXml(head: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<KeePassFile[\s>]/.test(head);
}
