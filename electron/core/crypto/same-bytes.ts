import { sodium } from './sodium';

/**
 * Constant-time equality of `expected` and a value read from the file, false when that value is
 * not bytes of the same length: whatever its column says, a damaged or edited file can hold any
 * type there (docs/product.md §1a), and libsodium's memcmp throws on either.
 */
export function sameBytes(stored: unknown, expected: Uint8Array): boolean {
  return stored instanceof Uint8Array && stored.length === expected.length && sodium().memcmp(stored, expected);
}
