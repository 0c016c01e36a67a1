import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';

/** One secret's keys: the person-id hash key, the seal key and its id, and the value-tag key. */
interface KeyPair {
  hashKey: Buffer;
  sealKey: Buffer;
  keyId: string;
  tagKey: Buffer;
}

function deriveKeys(secretBase64: string): KeyPair {
  const secret = Buffer.from(secretBase64.trim(), 'base64');
  if (secret.length < 32) throw new Error('the secret must be at least 32 bytes');
  const hashKey = Buffer.from(hkdfSync('sha256', secret, 'huella', 'person-id-v1', 32));
  const sealKey = Buffer.from(hkdfSync('sha256', secret, 'huella', 'address-seal-v1', 32));
  const keyId = createHmac('sha256', sealKey).update('key-id').digest('hex').slice(0, 8);
  const tagKey = Buffer.from(hkdfSync('sha256', secret, 'huella', 'value-tag-v1', 32));
  return { hashKey, sealKey, keyId, tagKey };
}

function hmacId(key: Buffer, address: string): string {
  return createHmac('sha256', key).update(address.trim()).digest('base64url').slice(0, 22);
}

/**
 * What the store needs to keep a value that describes a person: seal it, and open what it reads
 * back (`unseal` also takes a value an earlier version stored unsealed, for backward compatibility).
 */
export interface Sealer {
  seal(plain: string): string;
  unseal(stored: string): string;
}

/** Addresses whose conversation is kept under the previous secret's id, remembered at most this many. */
const CARRIED_LIMIT = 50_000;

/**
 * Phone numbers never sit in Redis in the clear. Lookups use a keyed hash (HMAC-SHA256) of the
 * address; the address itself, needed to text the person later, is sealed with AES-256-GCM.
 * Both keys derive from HUELLA_SECRET with HKDF, under different labels.
 *
 * Key rotation: the secret is a ring, "current[,previous]" (see secret.ts). New values are sealed
 * with the current key; values sealed with either key open. A person whose conversation was
 * started under the previous secret is moved to the current id at their next message (the
 * webhook looks the id up with `resolvePersonId` before a turn, and `personId` then answers the
 * id found); one who never writes again keeps the old id until the conversation expires.
 */
export class PersonCrypto {
  private readonly current: KeyPair;
  private readonly previous: KeyPair | undefined;
  /** Current id -> previous id, for people found under the previous secret. */
  private readonly carried = new Map<string, string>();
  readonly keyId: string;

  constructor(secretRing: string) {
    const [current, previous, ...rest] = secretRing
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!current || rest.length > 0) throw new Error('the secret ring is "current" or "current,previous"');
    this.current = deriveKeys(current);
    this.previous = previous ? deriveKeys(previous) : undefined;
    if (this.previous?.keyId === this.current.keyId)
      throw new Error('the previous secret is the current one');
    this.keyId = this.current.keyId;
  }

  get hasPrevious(): boolean {
    return this.previous !== undefined;
  }

  /**
   * Opaque, stable id for an address such as "+15551234567" or "whatsapp:+15551234567": the
   * current secret's, unless `resolvePersonId` found this person under the previous one.
   */
  personId(address: string): string {
    const id = hmacId(this.current.hashKey, address);
    return this.carried.get(id) ?? id;
  }

  /** The address's id under each secret: current first. */
  personIds(address: string): string[] {
    const ids = [hmacId(this.current.hashKey, address)];
    if (this.previous) ids.push(hmacId(this.previous.hashKey, address));
    return ids;
  }

  /**
   * The id a person's data is kept under: the current one, or the previous secret's when only
   * that one has a conversation (`exists` says whether an id has one). Given `move`, a person found
   * under the previous id is moved to the current one (see person-move.ts; it may decline, to try
   * at a later message), and what a move cut short left under the previous id is removed.
   * Remembers the answer for `personId`. Without a previous secret this is `personId`.
   */
  async resolvePersonId(
    address: string,
    exists: (personId: string) => Promise<boolean>,
    move?: (fromId: string, toId: string) => Promise<boolean>,
  ): Promise<string> {
    const [currentId, previousId] = this.personIds(address) as [string, string | undefined];
    if (previousId === undefined) return currentId;
    const onCurrent = await exists(currentId);
    const onPrevious = await exists(previousId);
    if (!onCurrent && onPrevious && !(move && (await move(previousId, currentId)))) {
      if (this.carried.size >= CARRIED_LIMIT) this.carried.delete(this.carried.keys().next().value!);
      this.carried.set(currentId, previousId);
      return previousId;
    }
    if (onCurrent && onPrevious && move) await move(previousId, currentId);
    this.carried.delete(currentId);
    return currentId;
  }

  seal(plain: string): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.current.sealKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.current.keyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  /** Whether a sealed value was sealed with the current key (else it needs sealing again). */
  isCurrent(sealed: string): boolean {
    return sealed.split('.')[1] === this.current.keyId;
  }

  /**
   * A value as read from Redis: opened when sealed; returned as it is when an earlier version
   * stored it unsealed (JSON never has the sealed shape), so that it is sealed at its next write.
   */
  unseal(stored: string): string {
    return isSealed(stored) ? this.open(stored) : stored;
  }

  /**
   * A short keyed digest of a value (HMAC-SHA256), for an id that must be deterministic but must
   * not show the value: a date has too few possibilities for a plain hash to hide it.
   */
  tag(value: string): string {
    return createHmac('sha256', this.current.tagKey).update(value).digest('base64url').slice(0, 16);
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const key = [this.current, this.previous].find((k) => k?.keyId === keyId);
    if (!key) throw new Error('sealed with another key');
    const decipher = createDecipheriv('aes-256-gcm', key.sealKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/**
 * A 96-bit GCM nonce: random as before, drawn from the system 1,024 at a time (one call per
 * seal was a third of sealing's CPU).
 */
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 1024);
let ivTaken = ivPool.length;
function nextIv(): Buffer {
  if (ivTaken === ivPool.length) {
    randomFillSync(ivPool);
    ivTaken = 0;
  }
  ivTaken += IV_BYTES;
  // A copy: the pool is refilled in place.
  return Buffer.from(ivPool.subarray(ivTaken - IV_BYTES, ivTaken));
}

/** The shape of a sealed value: v1.<key id>.<iv>.<tag>.<ciphertext>, all base64url. */
export const SEALED_VALUE = /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/;

export function isSealed(value: string): boolean {
  return value.startsWith('v1.') && SEALED_VALUE.test(value);
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64');
}
