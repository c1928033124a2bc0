import { CofferError } from '../../../shared/errors';
import type { Level, RegisterSecretInput } from '../../../shared/schemas/secrets';
import type { Content, Payload } from '../secrets/content';
import { isoDay } from '../lifecycle/clock';

/**
 * One secret in a bundle's encrypted body: the registration input that recreates it (so an import
 * goes through the same validation as any registration) plus when it was created and last changed.
 */
export interface BundleRecord {
  input: RegisterSecretInput;
  created: number;
  updated: number;
}

const file = (fileName: string, text: string) => ({ fileName, base64: Buffer.from(text, 'utf8').toString('base64') });

/**
 * Every field of the type as registration takes it. A certificate's PEM texts are shaped by `pem`:
 * a bundle carries them as uploaded files (their other fields are read from them again on import,
 * as on any upload), a plain JSON export as text.
 */
export function fieldsOf(c: Content, pem: (fileName: string, text: string) => unknown = file): Record<string, unknown> {
  switch (c.type) {
    case 'api-key':
      return { headerName: c.headerName, value: c.value };
    case 'bearer-token':
      return { headerName: c.headerName, headerValue: c.headerValue };
    case 'client-credentials':
      return { clientId: c.clientId, url: c.url, clientSecret: c.clientSecret };
    case 'certificate':
      return { certificate: pem('certificate.pem', c.certificate), ...(c.privateKey ? { privateKey: pem('private.key', c.privateKey) } : {}) };
    case 'key-value':
      return { pairs: c.pairs };
  }
}

export interface Placement {
  level: Level;
  workspace: string | null;
  teams: string[] | null;
}

/** The flat JSON object written for one secret. */
export function recordOf(payload: Payload, place: Placement, created: number, updated: number): Record<string, unknown> {
  const c = payload.content;
  return {
    type: c.type,
    name: payload.name,
    level: place.level,
    ...(place.workspace !== null ? { workspace: place.workspace } : {}),
    ...(place.teams ? { teams: place.teams } : {}),
    ...(c.type !== 'certificate' && payload.expires !== null ? { expires: isoDay(payload.expires) } : {}),
    fields: fieldsOf(c),
    created,
    updated,
  };
}

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Splits a record read from a bundle; its input is validated later, as any registration is. */
export function parseRecord(raw: unknown, index: number): BundleRecord {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CofferError('VALIDATION', `item ${index + 1} of the bundle is not a secret`);
  const { created, updated, ...input } = raw as Record<string, unknown>;
  if (!isTime(created) || !isTime(updated)) throw new CofferError('VALIDATION', `item ${index + 1} of the bundle has no valid creation or change time`);
  return { input: input as unknown as RegisterSecretInput, created, updated };
}
