import { AdminClient, ConsoleError } from '../../console/src/client';
import type { AdminApi } from './admin-api';
import { CliError } from './cli-error';

/**
 * The console's client of the admin routes, for a running connector at `url`, as the admin whose
 * pair is in SHEETGATE_TOKEN and SHEETGATE_KEY. TLS is verified as always: a private CA (the dev
 * certificates') is trusted with NODE_EXTRA_CA_CERTS.
 */
export function remoteAdmin(url: string, env: NodeJS.ProcessEnv): AdminApi {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new CliError(`--url must be the connector's address, such as https://localhost:3000, not "${url}".`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new CliError(`--url must start with https:// or http://, not "${url}".`);
  }
  const token = env.SHEETGATE_TOKEN;
  const key = env.SHEETGATE_KEY;
  if (!token || !key) {
    throw new CliError('A command with --url (or SHEETGATE_URL) runs as an administrator: set SHEETGATE_TOKEN and SHEETGATE_KEY to its pair.');
  }
  return new AdminClient({ kind: 'pair', token, key }, base.href.replace(/\/+$/, ''));
}

// Node's TLS error codes for a certificate it cannot trust.
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/** One sentence for a connector that did not answer, naming why (fetch's cause) and what helps. */
export function unreachableSentence(error: ConsoleError): string {
  const code = causeCode(error.cause);
  if (code && UNTRUSTED.test(code)) {
    return (
      `The connector's TLS certificate is not trusted (${code}). For the development certificates, ` +
      'set NODE_EXTRA_CA_CERTS=~/.office-addin-dev-certs/ca.crt (or install the CA, as the README shows).'
    );
  }
  return `The connector did not answer${code ? ` (${code})` : ''}. Check --url (or SHEETGATE_URL) and that it is running.`;
}

/** fetch fails with "fetch failed" and the reason as its cause (sometimes one level deeper). */
function causeCode(cause: unknown, depth = 0): string | undefined {
  if (!cause || typeof cause !== 'object' || depth > 3) return undefined;
  const { code, cause: inner, errors } = cause as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return causeCode(errors[0], depth + 1);
  return causeCode(inner, depth + 1);
}
