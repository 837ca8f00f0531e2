/**
 * Splitting writes so each `context.sync()` stays under 4 MB (Excel's request payload limit is
 * 5 MB on the web, where it bites first), and shrinking the blocks when Excel still says a request
 * was too big. Issue 3's policy: the first block is about 5,000 rows; later blocks are sized by
 * bytes, so a sync carries ~3.5 MB instead of a fixed row count's ~1 MB.
 */

export interface ChunkLimits {
  /** Rows in the first block: a modest first request, and a table on screen early. */
  firstRows: number;
  /** Rows per block for every block; unbounded until Excel rejects one, then halved. */
  maxRows: number;
  /** Request bytes per block (values and their number formats), exact as JSON UTF-8. */
  maxBytes: number;
}

/** 3.5 MB leaves half a megabyte of the 4 MB budget for office.js's own envelope per request. */
export const DEFAULT_LIMITS: ChunkLimits = { firstRows: 5000, maxRows: Infinity, maxBytes: 3.5 * 1024 * 1024 };

const encoder = new TextEncoder();

/** UTF-8 bytes of a value as office.js sends it (JSON). */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/** Printable ASCII without `"` or `\`: JSON writes these strings as they are, one byte a char. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Exact JSON UTF-8 bytes of one cell, without stringifying the common cases: sizing every row
 * with JSON.stringify + TextEncoder cost more than the rest of the transform (bench row 5).
 */
export function cellBytes(value: unknown): number {
  if (typeof value === 'string') return PLAIN.test(value) ? value.length + 2 : jsonBytes(value);
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (value === null) return 4;
  return jsonBytes(value);
}

/**
 * JSON length of a number without turning it into text (`String` of a fraction was the add-in's
 * costliest step per cell): whole numbers by their digits, amounts in cents by digits and places.
 */
function numberBytes(value: number): number {
  if (!Number.isFinite(value)) return 4; // JSON writes null
  const sign = value < 0 ? 1 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return String(value).length; // large or exponent forms: rare, exact the slow way
  if (Number.isInteger(magnitude)) return sign + digitCount(magnitude);
  // The double nearest k/100 prints as k/100 does (below 1e9 doubles are far denser than 0.01,
  // so no shorter decimal names the same double): whole part, the point, one or two places.
  const cents = Math.round(magnitude * 100);
  if (cents / 100 === magnitude) return sign + digitCount(Math.trunc(magnitude)) + (cents % 10 === 0 ? 2 : 3);
  return String(value).length;
}

function digitCount(whole: number): number {
  let length = 1;
  for (let rest = whole; rest >= 10; rest = Math.floor(rest / 10)) length++;
  return length;
}

/** A row's bytes besides its cells: brackets, commas between cells, the comma before the next row. */
export function rowFrameBytes(cells: number): number {
  return 2 + Math.max(cells - 1, 0) + 1;
}


/**
 * Excel's ways of saying one request carried too much. Excel on the web often answers an oversized
 * request with a bare `GeneralException` ("An internal error has occurred", office-js #1012 and
 * #1314), so that counts too: a block that fails with it is halved, and once a single row still
 * fails the error is real and goes to the analyst. The halving bounds the cost of a GeneralException
 * that had nothing to do with size at about log2(rows in the block) tries.
 */
export function isPayloadTooLarge(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    ['RequestPayloadSizeLimitExceeded', 'ResponsePayloadSizeLimitExceeded', 'PayloadTooLarge', 'RequestEntityTooLarge', 'GeneralException'].includes(code)
  ) {
    return true;
  }
  return typeof message === 'string' && /payload size|too large|request entity/i.test(message);
}

/**
 * Rows waiting to be written, cut into blocks under `limits`. Rows arrive page by page; a block is
 * written once it is full (or on `flush(true)`), so blocks span pages and each sync carries up to
 * the byte budget. When Excel rejects a block as too large, the limits drop to half that block, for
 * it and for every later block, and the block is tried again.
 */
export class BlockQueue<T> {
  private rows: T[] = [];
  private sizes: number[] = [];
  private first = true;

  /**
   * `write(slice)` sends one block; `extraPerRow()` is what else travels per row in the same sync
   * (number formats), asked before each block because it can change as rows are observed.
   */
  constructor(
    readonly limits: ChunkLimits,
    private readonly write: (slice: T[]) => Promise<void>,
    private readonly extraPerRow: () => number = () => 0,
  ) {}

  get pending(): number {
    return this.rows.length;
  }

  push(row: T, bytes: number): void {
    this.rows.push(row);
    this.sizes.push(bytes);
  }

  /** Writes every full block; with `all`, the last partial one too. */
  async flush(all: boolean): Promise<void> {
    while (this.rows.length > 0) {
      const { end, bytes, full } = this.cut();
      if (!full && !all) return;
      const slice = this.rows.slice(0, end);
      try {
        await this.write(slice);
      } catch (error) {
        if (!isPayloadTooLarge(error) || end <= 1) throw error;
        this.limits.maxRows = Math.ceil(end / 2);
        this.limits.maxBytes = Math.min(this.limits.maxBytes, bytes / 2);
        continue;
      }
      this.rows.splice(0, end);
      this.sizes.splice(0, end);
      this.first = false;
    }
  }

  /** Where the next block ends, its bytes, and whether a limit (not the queue's end) cut it. One row always goes. */
  private cut(): { end: number; bytes: number; full: boolean } {
    const cap = Math.min(this.limits.maxRows, this.first ? this.limits.firstRows : Infinity);
    const extra = this.extraPerRow();
    let bytes = 0;
    let end = 0;
    while (end < this.rows.length && end < cap) {
      const size = this.sizes[end]! + extra;
      if (end > 0 && bytes + size > this.limits.maxBytes) return { end, bytes, full: true };
      bytes += size;
      end++;
    }
    return { end, bytes, full: end === cap };
  }
}
