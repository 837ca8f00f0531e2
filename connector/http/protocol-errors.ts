import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { ErrorBody, ErrorCode } from '../contract';

// Requests refused before they reach the app: bytes that are not HTTP (Node's parser), a Host or
// request target the adapter cannot turn into a URL, an `Expect` we do not meet. Node and the
// adapter answer those with an empty body; these answers keep the contract's error shape there
// too, with the same no-store and nosniff headers as the app's own errors.

const REFUSED_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

function body(code: ErrorCode, message: string): string {
  const error: ErrorBody = { error: { code, message } };
  return JSON.stringify(error);
}

/** What Node's parser refusal becomes: the status Node itself would send, with a contract body. */
function describeParserError(code: string | undefined): { status: number; reason: string; code: ErrorCode; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', code: 'invalid_request', message: 'The request headers are too large.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, reason: 'Payload Too Large', code: 'payload_too_large', message: 'The request body is too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', code: 'invalid_request', message: 'The request did not arrive in time.' };
    default:
      return { status: 400, reason: 'Bad Request', code: 'invalid_request', message: 'The request is not valid HTTP.' };
  }
}

/** Node's `clientError`: answer on the raw socket, then close it (the stream is out of step). */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, code, message } = describeParserError(error.code);
  const text = body(code, message);
  const headers = Object.entries({ ...REFUSED_HEADERS, 'Content-Length': String(Buffer.byteLength(text)), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // The answer to a HEAD has no body, or the client reads it as the start of a next response.
  const head = (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n${head ? '' : text}`);
  // Ending lets the answer arrive; a client that never closes its side must not hold the socket.
  setTimeout(() => socket.destroy(), 2000).unref();
}

/** `Expect` other than `100-continue`: Node would answer 417 with no body. */
function answerExpectation(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(417, { ...REFUSED_HEADERS, Connection: 'close' });
  response.end(body('invalid_request', 'Only "Expect: 100-continue" is supported.'));
}

/** Answers protocol-level refusals of `server` with the contract's error body. */
export function answerProtocolErrors(server: Server): void {
  server.on('clientError', answerClientError);
  server.on('checkExpectation', answerExpectation);
}

/**
 * The adapter's `errorHandler`: a request it could not turn into a `Request` (missing or invalid
 * Host, a backslash or other junk in the target) is the client's fault; anything else is ours.
 */
export function requestErrorResponse(error: unknown): Response {
  const clientFault = error instanceof RequestError;
  return new Response(
    clientFault
      ? body('invalid_request', 'The request target or Host header is not valid.')
      : body('internal_error', 'Something went wrong on the connector; try again, and tell your administrator if it persists.'),
    { status: clientFault ? 400 : 500, headers: REFUSED_HEADERS },
  );
}

/** Hono's Node adapter for the app, with `requestErrorResponse` for requests it cannot parse. */
export function requestListener(fetch: Parameters<typeof getRequestListener>[0]) {
  return getRequestListener(fetch, { errorHandler: requestErrorResponse });
}
