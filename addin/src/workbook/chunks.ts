/**
 * Splitting writes so each `context.sync()` stays under Excel's request payload limit (5 MB on the
 * web, where it bites first), and shrinking the blocks when Excel still says a request was too big.
 */

export interface ChunkLimits {
  /** Rows per block to start with. */
  maxRows: number;
  /** Estimated request bytes per block. */
  maxBytes: number;
}

/** Around 5,000 rows and under 4 MB per sync, leaving room for the request's own envelope. */
export const DEFAULT_LIMITS: ChunkLimits = { maxRows: 5000, maxBytes: 4 * 1024 * 1024 * 0.9 };

const encoder = new TextEncoder();

/** UTF-8 bytes of a value as office.js sends it (JSON). */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/** Where the block starting at `start` ends (exclusive), within both limits; one row always fits. */
export function blockEnd<T>(rows: T[], start: number, limits: ChunkLimits): number {
  let bytes = 0;
  let end = start;
  while (end < rows.length && end - start < limits.maxRows) {
    const size = jsonBytes(rows[end]) + 1;
    if (end > start && bytes + size > limits.maxBytes) break;
    bytes += size;
    end++;
  }
  return end;
}

/** Every block of `rows` as [start, end) pairs, for limits that do not change. */
export function blocks<T>(rows: T[], limits: ChunkLimits): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < rows.length; start = out[out.length - 1]![1]) {
    out.push([start, blockEnd(rows, start, limits)]);
  }
  return out;
}

/** Excel's ways of saying one request carried too much. */
export function isPayloadTooLarge(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    ['RequestPayloadSizeLimitExceeded', 'ResponsePayloadSizeLimitExceeded', 'PayloadTooLarge', 'RequestEntityTooLarge'].includes(code)
  ) {
    return true;
  }
  return typeof message === 'string' && /payload size|too large|request entity/i.test(message);
}

/**
 * Writes `rows` in blocks through `write(offset, slice)`. When Excel rejects a block as too large,
 * `limits` drop to half that block, for it and for every later block, and the block is tried again.
 */
export async function writeInBlocks<T>(
  rows: T[],
  limits: ChunkLimits,
  write: (offset: number, slice: T[]) => Promise<void>,
): Promise<void> {
  let start = 0;
  while (start < rows.length) {
    const end = blockEnd(rows, start, limits);
    const slice = rows.slice(start, end);
    try {
      await write(start, slice);
      start = end;
    } catch (error) {
      if (!isPayloadTooLarge(error) || slice.length <= 1) throw error;
      limits.maxRows = Math.ceil(slice.length / 2);
      limits.maxBytes = Math.min(limits.maxBytes, jsonBytes(slice) / 2);
    }
  }
}
