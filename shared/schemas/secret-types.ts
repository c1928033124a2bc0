/**
 * Each secret type and its fields, described once (docs/architecture.md "Conventions the code follows"). The zod validators
 * (fields.ts), the register and edit dialogs, the CLI's flags and the core's field views derive from
 * this description. Types, labels and fields as docs/product.md §2.
 */

export const SECRET_TYPES = ['api-key', 'bearer-token', 'client-credentials', 'certificate', 'key-value'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/** What a field holds: it chooses the field's validator and its control. */
export type FieldKind = 'header-name' | 'text' | 'url' | 'secret-text' | 'file' | 'pairs';

/**
 * How a value is entered: in clear; hidden (a masked input, and in the CLI `--value-stdin` or a
 * prompt, never argv); as a file; or as key/value rows (the CLI: `--kv` entries or a file).
 */
export type FieldInput = 'typed' | 'hidden' | 'file' | 'pairs';

export const FIELD_INPUT: Record<FieldKind, FieldInput> = {
  'header-name': 'typed',
  text: 'typed',
  url: 'typed',
  'secret-text': 'hidden',
  file: 'file',
  pairs: 'pairs',
};

export const inputOf = (field: FieldDescription): FieldInput => FIELD_INPUT[field.kind];

/** Every hidden value of the CLI is read by this one flag, or prompted for without echo (docs/cli.md). */
export const VALUE_STDIN_FLAG = '--value-stdin';

/** A CLI option as commander declares it (`--client-id <id>`). */
export interface CliFlag {
  readonly flag: string;
  /** What it takes; the field's label when not given. */
  readonly help?: string;
  readonly repeatable?: boolean;
}

interface FieldBase {
  readonly key: string;
  readonly label: string;
  /** Masked wherever it is shown, until revealed. */
  readonly secret: boolean;
  readonly required: boolean;
  /** What to put there, under the register form's control. */
  readonly hint?: string;
  readonly placeholder?: string;
}

export type FieldDescription =
  | (FieldBase & { readonly kind: 'secret-text'; readonly secret: true })
  | (FieldBase & { readonly kind: 'header-name' | 'text' | 'url'; readonly cli: CliFlag })
  | (FieldBase & { readonly kind: 'file'; readonly cli: CliFlag; readonly extension?: string })
  | (FieldBase & { readonly kind: 'pairs'; readonly cli: CliFlag; readonly cliFile: CliFlag });

export interface TypeDescription {
  readonly label: string;
  readonly fields: readonly FieldDescription[];
  /** The field `secret get` prints and Copy copies when none is named; a key/value set has none. */
  readonly main: string | null;
  /** `chosen`: the person gives the Expiration Date; `read`: it is read from the content (a certificate's). */
  readonly expiry: 'chosen' | 'read';
}

const headerName = {
  key: 'headerName',
  label: 'Header Name',
  kind: 'header-name',
  secret: false,
  required: true,
  cli: { flag: '--header <name>' },
  hint: 'The HTTP header that carries it, e.g. Authorization or X-API-Key',
} as const;

const hiddenValue = <K extends string>(key: K, label: string) => ({ key, label, kind: 'secret-text', secret: true, required: true }) as const;

export const SECRET_TYPE_DESCRIPTIONS = {
  'api-key': { label: 'API Key', fields: [headerName, hiddenValue('value', 'Value')], main: 'value', expiry: 'chosen' },
  'bearer-token': { label: 'Bearer Token (OAuth)', fields: [headerName, hiddenValue('headerValue', 'Header Value')], main: 'headerValue', expiry: 'chosen' },
  'client-credentials': {
    label: 'Client Credentials',
    fields: [
      { key: 'clientId', label: 'Client ID', kind: 'text', secret: false, required: true, cli: { flag: '--client-id <id>' } },
      {
        key: 'url',
        label: 'URL',
        kind: 'url',
        secret: false,
        required: true,
        cli: { flag: '--url <url>' },
        hint: 'The token endpoint, http:// or https://',
        placeholder: 'https://auth.example.com/oauth/token',
      },
      hiddenValue('clientSecret', 'Client Secret'),
    ],
    main: 'clientSecret',
    expiry: 'chosen',
  },
  certificate: {
    label: 'Certificate',
    fields: [
      {
        key: 'certificate',
        label: 'Certificate',
        kind: 'file',
        secret: false,
        required: true,
        cli: { flag: '--cert <file>', help: 'certificate file, PEM or DER' },
        hint: 'A PEM or DER file (.pem, .crt, .cer, .der)',
      },
      {
        key: 'privateKey',
        label: 'Private Key',
        kind: 'file',
        secret: true,
        required: false,
        extension: '.key',
        cli: { flag: '--key <file>', help: "the certificate's private key, a .key file" },
        hint: 'Only .key files; it must match the certificate',
      },
    ],
    main: 'certificate',
    expiry: 'read',
  },
  'key-value': {
    label: 'Key/Value',
    fields: [
      {
        key: 'pairs',
        label: 'Key/Value pairs',
        kind: 'pairs',
        secret: true,
        required: true,
        cli: { flag: '--kv <pair>', help: 'KEY or KEY=VALUE, repeatable; KEY alone reads the value from stdin', repeatable: true },
        cliFile: { flag: '--file <file>', help: '.env or JSON file of keys and values' },
      },
    ],
    main: null,
    expiry: 'chosen',
  },
} as const satisfies Record<SecretType, TypeDescription>;

type Described = typeof SECRET_TYPE_DESCRIPTIONS;
/** The description of one field of type T, with its literal key and kind. */
export type FieldOf<T extends SecretType> = Described[T]['fields'][number];
/** Every field key any type has. */
export type FieldKey = FieldOf<SecretType>['key'];

export const typeFields = (type: SecretType): readonly FieldDescription[] => SECRET_TYPE_DESCRIPTIONS[type].fields;

/** Every described field once, in the order the types list them (headerName serves two types). */
export const ALL_FIELDS: readonly FieldDescription[] = [...new Map(SECRET_TYPES.flatMap((t) => typeFields(t)).map((f) => [f.key, f] as const)).values()];

export const TYPE_LABELS = Object.fromEntries(SECRET_TYPES.map((t) => [t, SECRET_TYPE_DESCRIPTIONS[t].label])) as Record<SecretType, string>;

/** Labels of what every secret has besides its type's fields. */
const COMMON_LABELS = {
  name: 'Secret Name',
  expires: 'Expiration Date',
  workspace: 'Workspace',
  teams: 'Teams',
  level: 'Level',
};

export const FIELD_LABELS: Record<string, string> = { ...COMMON_LABELS, ...Object.fromEntries(ALL_FIELDS.map((f) => [f.key, f.label])) };

export const extensionError = (label: string, extension: string): string => `${label} must be a ${extension} file`;

/** Why a file does not fit a file field that takes one kind only (a Private Key: a .key file), if it does not. */
export function wrongExtension(field: FieldDescription, fileName: string): string | undefined {
  if (field.kind !== 'file' || !field.extension || fileName.toLowerCase().endsWith(field.extension)) return undefined;
  return extensionError(field.label, field.extension);
}
