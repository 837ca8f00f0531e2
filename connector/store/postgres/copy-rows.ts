import type pg from 'pg';
import type { ByteSlabs } from './byte-slabs';

// A SELECT's rows as bytes, as they arrive: `COPY (select) TO STDOUT (FORMAT binary)`. pg decodes
// every field of an ordinary result from UTF-8 into a string (even in its binary mode); a page of
// kept texts is 3 MB that would be decoded only to be encoded again for the socket. pg's parser
// hands COPY's data messages on as raw bytes (views into what the socket read), one row per
// message, while the server is still reading the next rows: the database and the connector work
// at once (docs/PERFORMANCE.md, "PostgreSQL full pull", "Second pass"). The format: PostgreSQL
// manual, "COPY", "Binary Format".

/**
 * One row as the binary COPY format carries it, read in place: each field's bytes are its binary
 * send form (text: the characters' bytes; bool: one byte, 1 for true). The row and the bytes
 * `bytes()` returns are valid only during the `onRow` call that hands them over: they are views
 * into pg's read buffer, which pg reuses. Keep what you need by copying it (`ByteSlabs`).
 */
export interface CopiedRow {
  isNull(field: number): boolean;
  bytes(field: number): Buffer;
  /** Copies the field's bytes into `slabs` (no view made). */
  appendTo(field: number, slabs: ByteSlabs): void;
}

/**
 * Runs `select` (its values already in the text: COPY takes no parameters; see sql-literal.ts) and
 * hands each row to `onRow` as soon as it is complete.
 */
export async function copyRows(pool: pg.Pool, select: string, onRow: (row: CopiedRow) => void): Promise<void> {
  const reader = new BinaryCopyReader(onRow);
  await copyOut(pool, select, (chunk) => reader.push(chunk));
  reader.end();
}

/** The raw COPY data of `select` in binary format, chunk after chunk as pg's parser cuts it (each valid only during its call). */
export async function copyOut(pool: pg.Pool, select: string, onData: (chunk: Buffer) => void): Promise<void> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      client.query(new CopyOut(`COPY (${select}) TO STDOUT (FORMAT binary)`, onData, (error) => (error ? reject(error) : resolve())));
    });
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // A server error ends the COPY cleanly, but a connection that failed is not worth keeping: release(error) closes it.
    client.release(failed);
  }
}

/**
 * A COPY TO STDOUT run the way pg runs any query it is handed (pg's `Submittable`): the simple
 * protocol, and the client calling the active query's handlers as messages arrive. An error thrown
 * while the data is handed on is kept until the server is done (ReadyForQuery), so the connection
 * is left in step with the server.
 */
class CopyOut implements pg.Submittable {
  private failed: Error | undefined;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly onData: (chunk: Buffer) => void,
    private readonly done: (error?: Error) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failed) return;
    try {
      this.onData(message.chunk);
    } catch (error) {
      this.failed = error as Error;
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.settle(this.failed);
  }

  /** A server error (the query ends; ReadyForQuery then goes to no query) or a dead connection. */
  handleError(error: Error): void {
    this.settle(error);
  }

  private settle(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.done(error);
  }
}

/** `PGCOPY\n\377\r\n\0`, then 32-bit flags and the header extension's length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;
/** A tuple's field count of -1 ends the data. */
const TRAILER = -1;
/** Bytes of the next chunk joined to the part of a row the last one cut off: rows are smaller, as a rule. */
const STRADDLE = 16 * 1024;

/** Parses the binary COPY format from chunks cut anywhere. */
export class BinaryCopyReader implements CopiedRow {
  /** The start of a unit (header, row, trailer) the chunks so far cut off, in pieces: joined only once it can be whole. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes the cut-off unit needs at least, as far as its lengths read so far tell. */
  private wanted = 0;
  private headerRead = false;
  private ended = false;
  // The row being handed over: its buffer and each field's start and length (-1: NULL).
  private data: Buffer = Buffer.alloc(0);
  private starts: number[] = [];
  private lengths: number[] = [];

  constructor(private readonly onRow: (row: CopiedRow) => void) {}

  push(chunk: Buffer): void {
    let data = chunk;
    let offset = 0;
    if (this.pendingLength > 0) {
      const before = this.pendingLength;
      if (before + chunk.length < this.wanted) {
        this.pending.push(Buffer.from(chunk));
        this.pendingLength += chunk.length;
        return;
      }
      // Only the cut-off unit is copied, with the start of this chunk (all of it if need be).
      const joined = Buffer.concat([...this.pending, chunk.subarray(0, Math.max(STRADDLE, this.wanted - before))]);
      this.pending = [];
      this.pendingLength = 0;
      const next = this.step(joined, 0);
      if (next !== -1) offset = next - before;
      else if (joined.length < before + chunk.length) data = Buffer.concat([joined, chunk.subarray(joined.length - before)]);
      else return this.keep(joined, 0);
    }
    for (;;) {
      const next = this.step(data, offset);
      if (next === -1) break;
      offset = next;
    }
    if (offset < data.length) this.keep(data, offset);
  }

  private keep(data: Buffer, offset: number): void {
    if (this.ended) throw new Error('COPY sent data after its trailer.');
    // A copy: the chunk may be a view into a buffer its sender reuses.
    this.pending = [Buffer.from(data.subarray(offset))];
    this.pendingLength = data.length - offset;
  }

  /** Throws unless the data ended with its trailer. */
  end(): void {
    if (!this.ended || this.pendingLength > 0) throw new Error('COPY data ended mid-row.');
  }

  isNull(field: number): boolean {
    return this.lengths[field] === -1;
  }

  bytes(field: number): Buffer {
    const start = this.starts[field];
    return this.data.subarray(start, start + this.lengths[field]);
  }

  appendTo(field: number, slabs: ByteSlabs): void {
    const start = this.starts[field];
    slabs.append(this.data, start, start + this.lengths[field]);
  }

  /**
   * Reads the header, a row (handed on) or the trailer at `offset`: the offset after it, or -1 when
   * it is not all there yet (`wanted` then says how long it is at least) or the data has ended.
   */
  private step(data: Buffer, offset: number): number {
    if (this.ended) return -1;
    if (!this.headerRead) {
      if (data.length < offset + HEADER) return this.short(offset, offset + HEADER);
      if (!data.subarray(offset, offset + SIGNATURE.length).equals(SIGNATURE)) throw new Error('COPY sent no binary-format signature.');
      const end = offset + HEADER + data.readUInt32BE(offset + SIGNATURE.length + 4);
      if (data.length < end) return this.short(offset, end);
      this.headerRead = true;
      return end;
    }
    if (data.length < offset + 2) return this.short(offset, offset + 2);
    const count = data.readInt16BE(offset);
    if (count === TRAILER) {
      this.ended = true;
      return offset + 2;
    }
    let at = offset + 2;
    for (let i = 0; i < count; i++) {
      if (data.length < at + 4) return this.short(offset, at + 4);
      const length = data.readInt32BE(at);
      at += 4;
      this.starts[i] = at;
      this.lengths[i] = length;
      if (length === -1) continue;
      if (data.length < at + length) return this.short(offset, at + length);
      at += length;
    }
    this.data = data;
    this.onRow(this);
    return at;
  }

  /** The unit at `offset` is cut off: it reaches to `end` at least. */
  private short(offset: number, end: number): -1 {
    this.wanted = end - offset;
    return -1;
  }
}
