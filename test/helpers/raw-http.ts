import { connect } from 'node:net';

export interface RawResponse {
  /** null when the server closed the connection without an HTTP answer. */
  status: number | null;
  headers: Record<string, string[]>;
  body: string;
}

/**
 * Sends bytes exactly as given over a plain TCP connection (for requests no HTTP client would
 * send: broken request lines, header injection, conflicting lengths) and reads the first response
 * until the server closes the connection or `timeoutMs` passes.
 */
export function rawRequest(baseUrl: string, payload: string | Buffer, timeoutMs = 5000, options: { halfClose?: boolean } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // `halfClose` ends our side after sending, so a request cut short is seen as cut short instead
    // of waited for. Node takes a client's end as an abort, so other requests keep the side open.
    const socket = connect(Number(port), hostname, () => (options.halfClose ? socket.end(payload) : socket.write(payload)));
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // Stop as soon as one whole response is in, whether or not the server closes.
      if (parseResponse(Buffer.concat(chunks), true).status !== null) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

/** Parses one HTTP/1.x response; with `complete`, answers status null until the body is whole. */
export function parseResponse(data: Buffer, complete = false): RawResponse {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const none: RawResponse = { status: null, headers: {}, body: '' };
  if (end < 0) return none;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return none;
  // An interim answer (100 Continue) comes before the real one.
  if (match[1].startsWith('1')) return parseResponse(data.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1')), complete);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  }
  let rest = data.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  let body: Buffer;
  const status = Number(match[1]);
  if (status === 204 || status === 304 || status < 200) {
    body = Buffer.alloc(0);
  } else if (headers['transfer-encoding']?.some((value) => /chunked/i.test(value))) {
    const parts: Buffer[] = [];
    let finished = false;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) break;
      const size = Number.parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) {
        finished = true;
        break;
      }
      if (rest.length < lineEnd + 2 + size) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    if (complete && !finished) return none;
    body = Buffer.concat(parts);
  } else if (headers['content-length']) {
    const length = Number(headers['content-length'][0]);
    if (complete && rest.length < length) return none;
    body = rest.subarray(0, length);
  } else {
    // No length: the body runs to the close (only known once the socket closed).
    if (complete) return none;
    body = rest;
  }
  return { status, headers, body: body.toString('utf8') };
}
