import { createHash, randomBytes } from 'node:crypto';

// Crockford's base 32: no I, L, O or U, so a receipt read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new receipt: 160 random bits as 32 characters in eight groups of four
 * (e.g. 7K2Q-…). Shown once to the person who testified; only its hash is stored.
 */
export function newReceipt(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/**
 * The stored form of a receipt: SHA-256 of its characters, case, spaces and dashes ignored, and the
 * letters people confuse read as the digits they look like. A plain hash is enough: 160 random bits
 * cannot be guessed from it.
 */
export function hashReceipt(receipt: string): string | null {
  const normalised = receipt.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{32}$/.test(normalised)) return null;
  return createHash('sha256').update(normalised).digest('hex');
}
