import type { RandomSource } from '../crypto/random';

/** Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 4;

/**
 * A one-time setup code (docs/product.md §5): 24 symbols of 5 bits, 120 bits of randomness, in
 * groups of four. It seals the new member's keys like a password until they choose their own, so
 * it goes through the same KDF and is typed where a password is.
 */
export function newSetupCode(random: RandomSource): string {
  const bytes = random.bytes(GROUPS * GROUP_LENGTH);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]);
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH).join(''));
  return groups.join('-');
}
