import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Phone numbers never sit in Redis in the clear. Lookups use a keyed hash (HMAC-SHA256) of the
 * address; the address itself, needed to text the person later, is sealed with AES-256-GCM.
 * Both keys derive from HUELLA_SECRET with HKDF, under different labels.
 */
export class PersonCrypto {
  private readonly hashKey: Buffer;
  private readonly sealKey: Buffer;
  readonly keyId: string;

  constructor(secretBase64: string) {
    const secret = Buffer.from(secretBase64, 'base64');
    if (secret.length < 32) throw new Error('the secret must be at least 32 bytes');
    this.hashKey = Buffer.from(hkdfSync('sha256', secret, 'huella', 'person-id-v1', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, 'huella', 'address-seal-v1', 32));
    this.keyId = createHmac('sha256', this.sealKey).update('key-id').digest('hex').slice(0, 8);
  }

  /** Opaque, stable id for an address such as "+15551234567" or "whatsapp:+15551234567". */
  personId(address: string): string {
    return createHmac('sha256', this.hashKey).update(address.trim()).digest('base64url').slice(0, 22);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    if (keyId !== this.keyId) throw new Error('sealed with another key');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64');
}
