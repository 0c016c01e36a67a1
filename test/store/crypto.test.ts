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
