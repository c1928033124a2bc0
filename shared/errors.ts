/** Error codes shared by every door (docs/product.md §9). */
export const ERROR_CODES = [
  'VALIDATION',
  'AUTH',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LOCKED',
  'TAMPERED',
  'UNSUPPORTED_VERSION',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** The one exception the core throws; each door turns it into its own shape in one place. */
export class CofferError extends Error implements ErrorShape {
  override readonly name = 'CofferError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): ErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Anything thrown becomes a typed error; unknown failures are INTERNAL and say nothing of their content. */
export function toErrorShape(e: unknown): ErrorShape {
  if (e instanceof CofferError) return e.toJSON();
  return { code: 'INTERNAL', message: 'internal error' };
}
