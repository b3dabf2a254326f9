import { randomBytes } from 'node:crypto';
import { keyIdOf, newDataKey, seal, unseal, unwrapDataKey, wrapDataKey } from './testimony-cipher';
import { hashReceipt, newReceipt } from './receipt';

describe('testimony cipher', () => {
  const master = randomBytes(32);

  it('should open what it sealed, and refuse another key, another context or a changed byte', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from('what happened'), 'content');
    expect(unseal(key, sealed, 'content').toString()).toBe('what happened');
    expect(sealed.includes(Buffer.from('what happened'))).toBe(false);
    expect(() => unseal(newDataKey(), sealed, 'content')).toThrow();
    expect(() => unseal(key, sealed, 'file')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => unseal(key, tampered, 'content')).toThrow();
  });

  it('should seal the same text differently each time (a fresh IV)', () => {
    const key = newDataKey();
    expect(seal(key, Buffer.from('same'), 'c').equals(seal(key, Buffer.from('same'), 'c'))).toBe(false);
  });

  it('should unwrap a data key only with the master key that wrapped it', () => {
    const key = newDataKey();
    const wrapped = wrapDataKey(master, key);
    expect(unwrapDataKey(master, wrapped).equals(key)).toBe(true);
    expect(() => unwrapDataKey(randomBytes(32), wrapped)).toThrow();
    expect(keyIdOf(master)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(master)).not.toBe(keyIdOf(randomBytes(32)));
  });
});

describe('receipts', () => {
  it('should give 160-bit receipts in eight groups of four that hash the same however they are typed back', () => {
    const receipt = newReceipt();
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    expect(newReceipt()).not.toBe(receipt);
    const hash = hashReceipt(receipt);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReceipt(` ${receipt.toLowerCase().replace(/-/g, ' ')} `)).toBe(hash);
    expect(hashReceipt(receipt.replace(/-/g, ''))).toBe(hash);
  });

  it('should read the letters people confuse as the digits they look like, and refuse what is not a receipt', () => {
    expect(hashReceipt('OOOO-IIII-LLLL-0000-0000-0000-0000-0000')).toBe(hashReceipt('0000-1111-1111-0000-0000-0000-0000-0000'));
    expect(hashReceipt('too short')).toBeNull();
    expect(hashReceipt('UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU')).toBeNull();
  });
});
