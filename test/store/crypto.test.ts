import { describe, expect, it } from 'vitest';
import { generateSecret, PersonCrypto } from '../../src/store/crypto.js';

describe('PersonCrypto', () => {
  const crypto = new PersonCrypto(generateSecret());

  it('gives a stable opaque id that does not contain the number', () => {
    const id = crypto.personId('+15551234567');
    expect(id).toBe(crypto.personId('+15551234567'));
    expect(id).not.toContain('5551234567');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(crypto.personId('whatsapp:+15551234567')).not.toBe(id);
  });

  it('gives different ids under different secrets', () => {
    expect(new PersonCrypto(generateSecret()).personId('+15551234567')).not.toBe(
      crypto.personId('+15551234567'),
    );
  });

  it('seals and opens an address; the sealed form hides it and differs each time', () => {
    const a = crypto.seal('whatsapp:+15551234567');
    const b = crypto.seal('whatsapp:+15551234567');
    expect(a).not.toBe(b);
    expect(a).not.toContain('5551234567');
    expect(crypto.open(a)).toBe('whatsapp:+15551234567');
  });

  it('refuses a tampered value and a value sealed with another key', () => {
    const sealed = crypto.seal('+15551234567');
    const parts = sealed.split('.');
    parts[4] = Buffer.from('+15550000000').toString('base64url');
    expect(() => crypto.open(parts.join('.'))).toThrow();
    expect(() => new PersonCrypto(generateSecret()).open(sealed)).toThrow(/another key/);
  });

  it('refuses a short secret', () => {
    expect(() => new PersonCrypto(Buffer.alloc(8).toString('base64'))).toThrow();
  });
});

describe('PersonCrypto with a previous secret (key rotation)', () => {
  const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
  const before = new PersonCrypto(oldSecret);
  const during = new PersonCrypto(`${newSecret},${oldSecret}`);
  const after = new PersonCrypto(newSecret);
  const address = 'whatsapp:+15551234567';

  it('seals with the new key and opens values sealed with either', () => {
    const old = before.seal(address);
    expect(during.open(old)).toBe(address);
    expect(during.isCurrent(old)).toBe(false);
    const fresh = during.seal(address);
    expect(during.isCurrent(fresh)).toBe(true);
    expect(after.open(fresh)).toBe(address);
    expect(() => after.open(old)).toThrow(/another key/);
  });

  it('gives both ids, the new one first, and the new one by default', () => {
    expect(during.personIds(address)).toEqual([after.personId(address), before.personId(address)]);
    expect(new PersonCrypto(`${newSecret},${oldSecret}`).personId(address)).toBe(after.personId(address));
  });

  it('keeps a person found only under the previous id on that id, and a new person on the new one', async () => {
    const crypto = new PersonCrypto(`${newSecret},${oldSecret}`);
    const known = new Set([before.personId(address)]);
    const exists = async (id: string) => known.has(id);
    expect(await crypto.resolvePersonId(address, exists)).toBe(before.personId(address));
    expect(crypto.personId(address)).toBe(before.personId(address));
    expect(await crypto.resolvePersonId('+15550000000', exists)).toBe(after.personId('+15550000000'));
    // Erased, then back: the new id.
    known.clear();
    expect(await crypto.resolvePersonId(address, exists)).toBe(after.personId(address));
    expect(crypto.personId(address)).toBe(after.personId(address));
  });

  it('refuses a ring of the same secret twice or of three secrets', () => {
    expect(() => new PersonCrypto(`${newSecret},${newSecret}`)).toThrow();
    expect(() => new PersonCrypto(`${newSecret},${oldSecret},${generateSecret()}`)).toThrow();
  });
});
