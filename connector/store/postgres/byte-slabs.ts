/**
 * Bytes kept as rows pass, copied into slabs of their own: pieces that, concatenated, are every
 * appended byte in order. One copy per byte, and few pieces for the caller's final join. Slabs
 * start small and double up to `largest`, so a 10-row page does not allocate for a 10,000-row one.
 */
export class ByteSlabs {
  private slab: Buffer | null = null;
  private used = 0;
  private readonly pieces: Buffer[] = [];

  constructor(
    private next = 16 * 1024,
    private readonly largest = 256 * 1024,
  ) {}

  /** Copies `source[start, end)`. */
  append(source: Buffer, start = 0, end = source.length): void {
    const length = end - start;
    if (this.slab !== null && length > this.slab.length - this.used) this.seal();
    if (this.slab === null) {
      if (length > this.next) return void this.pieces.push(Buffer.from(source.subarray(start, end)));
      this.slab = Buffer.allocUnsafe(this.next);
      this.next = Math.min(this.next * 2, this.largest);
    }
    source.copy(this.slab, this.used, start, end);
    this.used += length;
  }

  /** Everything appended so far, in pieces; appending goes on in a new slab. */
  take(): Buffer[] {
    this.seal();
    return this.pieces;
  }

  private seal(): void {
    if (this.slab !== null && this.used > 0) this.pieces.push(this.slab.subarray(0, this.used));
    this.slab = null;
    this.used = 0;
  }
}
