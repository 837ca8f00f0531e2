import { describe, expect, it } from 'vitest';
import { ByteSlabs } from '../../../../connector/store/postgres/byte-slabs';

// The bytes a page keeps from COPY's rows (connector/store/postgres/byte-slabs.ts): all of them, in
// order, copied out of the buffer they came in.

describe('ByteSlabs', () => {
  it('gives back every byte in order, in slabs, a piece larger than a slab on its own', () => {
    const slabs = new ByteSlabs(8, 8);
    const parts = ['abc', 'defgh', 'i', 'a piece longer than a slab', '', 'jk', 'lmnopqrs'].map((text) => Buffer.from(text));
    for (const part of parts) slabs.append(part);
    slabs.append(Buffer.from('<-xyz->'), 2, 5);
    const pieces = slabs.take();
    expect(Buffer.concat(pieces).toString()).toBe(`${parts.join('')}xyz`);
    expect(pieces.every((piece) => piece.length <= 8 || piece.toString() === 'a piece longer than a slab')).toBe(true);
    // What was appended is copied: changing the source afterwards changes nothing.
    parts[0].fill(0);
    expect(Buffer.concat(pieces).toString()).toBe('abcdefghia piece longer than a slabjklmnopqrsxyz');
  });

  it('starts with small slabs and doubles them up to the largest', () => {
    const slabs = new ByteSlabs(4, 16);
    for (let i = 0; i < 40; i++) slabs.append(Buffer.from([i]));
    const pieces = slabs.take();
    expect(pieces.map((piece) => piece.length)).toEqual([4, 8, 16, 12]);
    expect([...Buffer.concat(pieces)]).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(new ByteSlabs().take()).toEqual([]);
  });
});
