/**
 * A 64-bit FNV-1a hash fed incrementally, for comparing replicas' states cheaply (the simulator checks that
 * every replica that applied the same entries holds the same digest). Two 32-bit lanes keep it exact with
 * JavaScript numbers. Not cryptographic: it detects divergence, it does not resist forgery.
 */
export class Digest {
  // FNV-1a 64-bit offset basis, split into high and low 32-bit halves.
  private high = 0xcbf29ce4;
  private low = 0x84222325;

  /** Mixes in a string (its UTF-16 code units, then a separator so "ab","c" differs from "a","bc"). */
  string(text: string): this {
    for (let i = 0; i < text.length; i++) this.unit(text.charCodeAt(i));
    this.unit(0x1f);
    return this;
  }

  /** Mixes in a number via its decimal text. */
  number(value: number): this {
    return this.string(String(value));
  }

  /** The hash as 16 lowercase hex digits. */
  hex(): string {
    return (this.high >>> 0).toString(16).padStart(8, '0') + (this.low >>> 0).toString(16).padStart(8, '0');
  }

  /** xor a 16-bit unit into the low byte pair, then multiply by the FNV 64-bit prime 0x100000001b3. */
  private unit(unit: number): void {
    this.low ^= unit;
    // (high, low) * (0x100, 0x000001b3): the product's low 64 bits, from 16-bit partial products.
    const lowLo = this.low & 0xffff;
    const lowHi = this.low >>> 16;
    const a = lowLo * 0x1b3;
    const b = lowHi * 0x1b3 + (a >>> 16);
    const newLow = ((b & 0xffff) << 16) | (a & 0xffff);
    const carry = Math.floor(b / 0x10000);
    this.high = (Math.imul(this.high, 0x1b3) + (this.low << 8) + carry) | 0;
    this.low = newLow | 0;
  }
}
