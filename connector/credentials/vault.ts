import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys at rest: an HMAC-SHA-256 digest to check them (constant-time) and an AES-256-GCM
 * ciphertext so an admin can copy a key again. Both sub-keys are derived from the server secret,
 * which never sits in the store file.
 */
export class KeyVault {
  private readonly digestKey: Buffer;
  private readonly encryptionKey: Buffer;
  /** Compared against when a token is unknown, so that case costs what a wrong key costs. */
  private readonly decoyDigest: string;

  constructor(serverSecret: Buffer) {
    if (serverSecret.length < 32) throw new Error('The server secret must be at least 32 bytes.');
    this.digestKey = derive(serverSecret, 'sheetgate key digest v1');
    this.encryptionKey = derive(serverSecret, 'sheetgate key encryption v1');
    this.decoyDigest = this.digest(randomBytes(32).toString('hex'));
  }

  digest(key: string): string {
    return this.hmac(key).toString('hex');
  }

  private hmac(key: string): Buffer {
    return createHmac('sha256', this.digestKey).update(key).digest();
  }

  /** Constant-time check of `key` against a stored digest; pass null for an unknown token. */
  matches(key: string, storedDigest: string | null): boolean {
    const expected = Buffer.from(storedDigest ?? this.decoyDigest, 'hex');
    // The digest's bytes, not its hex text decoded again: this runs on every request.
    const actual = this.hmac(key);
    return expected.length === actual.length && timingSafeEqual(expected, actual) && storedDigest !== null;
  }

  /** `associated` binds the ciphertext to its credential, so it cannot be moved to another. */
  encrypt(key: string, associated: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(associated));
    const body = Buffer.concat([cipher.update(key, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, associated: string): string {
    const [version, iv, tag, body] = ciphertext.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unknown key ciphertext format.');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sheetgate', info, 32));
}
