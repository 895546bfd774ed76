import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Sha256, sha256Hex } from '../../src/sim/sha256.ts';

describe('pure-JS SHA-256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    const enc = new TextEncoder();
    expect(sha256Hex(enc.encode(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(enc.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))
      .toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto for any bytes fed in any chunks', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
      const hash = new Sha256();
      let offset = 0;
      for (const cut of cuts) {
        const end = Math.min(bytes.length, offset + (cut % 130));
        hash.update(bytes.subarray(offset, end));
        offset = end;
      }
      hash.update(bytes.subarray(offset));
      expect(hash.digestHex()).toBe(createHash('sha256').update(bytes).digest('hex'));
    }));
  });

  it('hashes text as UTF-8', () => {
    const text = 'x=ü€😀\n';
    expect(new Sha256().updateText(text).digestHex()).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});
