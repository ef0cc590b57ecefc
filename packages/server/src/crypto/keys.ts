import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Every key Hiwar uses, derived from the one server secret with HKDF-SHA-256,
 * each under its own label so that no two purposes share a key.
 */
export interface Keys {
  /** AES-256-GCM key for email addresses (and other small secrets) at rest. */
  encryption: Buffer;
  /** HMAC key of the email blind index (equality look-ups without the plaintext). */
  emailIndex: Buffer;
  /** HMAC key of avatar keys (per site, so one address looks different on two sites). */
  avatar: Buffer;
  /** HMAC key of IP address hashes. */
  ip: Buffer;
  /** HMAC key of idempotency keys and request fingerprints. */
  request: Buffer;
  /** The value stored in the database to notice a changed secret. */
  check: string;
}

function derive(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'hiwar/v1', label, 32));
}

/**
 * @example
 * const keys = deriveKeys(process.env.HIWAR_SECRET!)
 */
export function deriveKeys(secret: string): Keys {
  return {
    encryption: derive(secret, 'email-encryption'),
    emailIndex: derive(secret, 'email-index'),
    avatar: derive(secret, 'avatar'),
    ip: derive(secret, 'ip'),
    request: derive(secret, 'request'),
    check: derive(secret, 'key-check').toString('base64url'),
  };
}

/** A fresh random secret, for a new embedded data folder. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: iv ‖ tag ‖ ciphertext. `context` binds the value to its purpose. */
export function seal(key: Buffer, plaintext: string, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens a value sealed by {@link seal}; throws when it was tampered with or the key is wrong. */
export function open(key: Buffer, sealed: Uint8Array, context: string): string {
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}

/** The canonical form of an address for look-ups: NFC, no white space, lower case. */
export function canonicalEmail(email: string): string {
  return email.normalize('NFC').replace(/\s+/gu, '').toLowerCase();
}

export function hmac(key: Buffer, ...parts: string[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(`${part.length}:${part}`, 'utf8');
  return mac.digest();
}

export const EMAIL_CONTEXT = 'hiwar:email:v1';

export function encryptEmail(keys: Keys, email: string): Buffer {
  return seal(keys.encryption, email, EMAIL_CONTEXT);
}

export function decryptEmail(keys: Keys, sealed: Uint8Array): string {
  return open(keys.encryption, sealed, EMAIL_CONTEXT);
}

/** Keyed blind index of an address: equal for `A@X.org ` and `a@x.org`. */
export function emailBlindIndex(keys: Keys, email: string): Buffer {
  return hmac(keys.emailIndex, canonicalEmail(email));
}

/** The avatar key of an author on one site: keyed, so not reversible by dictionary. */
export function avatarKey(keys: Keys, siteId: string, identity: string): string {
  return hmac(keys.avatar, siteId, identity).subarray(0, 16).toString('base64url');
}

/** Keyed hash of an IP address (as text, already normalized by the caller). */
export function ipHash(keys: Keys, ip: string): Buffer {
  return hmac(keys.ip, ip);
}

/** Unkeyed SHA-256 of a random bearer token (the token has 256 bits: no dictionary exists). */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
