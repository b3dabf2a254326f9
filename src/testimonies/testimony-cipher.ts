import { type CipherGCM, createCipheriv, createDecipheriv, createHash, type DecipherGCM, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a data key is bound to when wrapped: a wrapped key cannot be passed off as sealed content. */
const DATA_KEY_PURPOSE = 'upr-testimony-data-key';

/**
 * AES-256-GCM with node:crypto: `iv | tag | ciphertext`, a fresh random IV each time. `context`
 * (GCM's additional data) binds a sealed value to its purpose, so a file's ciphertext cannot be
 * swapped for another's or for the text without failing authentication.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The plaintext; throws when the key, the context or a single byte is wrong. */
export function unseal(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Bytes before the ciphertext in a sealed value or file: the IV, then the tag. */
export const HEADER_BYTES = IV_BYTES + TAG_BYTES;

/**
 * The streaming form of `seal`, for files: the same `iv | tag | ciphertext` layout, whose tag is
 * known only once the last byte went through (`tagged` writes it into the header).
 */
export function sealingStream(key: Buffer, context: string): { cipher: CipherGCM; header: Buffer; tagged(header: Buffer): Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  return {
    cipher,
    header: Buffer.concat([iv, Buffer.alloc(TAG_BYTES)]),
    tagged: (header) => Buffer.concat([header.subarray(0, IV_BYTES), cipher.getAuthTag()]),
  };
}

/** The streaming form of `unseal`: feed it the ciphertext after the header; `final()` throws when anything was altered. */
export function openingStream(key: Buffer, header: Buffer, context: string): DecipherGCM {
  if (header.length < HEADER_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv(ALGORITHM, key, header.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(header.subarray(IV_BYTES, HEADER_BYTES));
  return decipher;
}

/** A testimony's own key: 32 random bytes, never stored unwrapped. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

export function wrapDataKey(masterKey: Buffer, dataKey: Buffer): string {
  return seal(masterKey, dataKey, DATA_KEY_PURPOSE).toString('base64');
}

export function unwrapDataKey(masterKey: Buffer, wrapped: string): Buffer {
  return unseal(masterKey, Buffer.from(wrapped, 'base64'), DATA_KEY_PURPOSE);
}

/**
 * Names a master key without revealing it (the first 16 hex digits of its SHA-256): stored beside
 * each wrapped key, so rotation knows which rows the previous key wrapped.
 */
export function keyIdOf(masterKey: Buffer): string {
  return createHash('sha256').update('upr-testimony-key-id').update(masterKey).digest('hex').slice(0, 16);
}
