import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** office-addin-dev-certs' own default folder, so its `install` and `verify` find the same CA. */
export const DEV_CERTS_DIR = join(homedir(), '.office-addin-dev-certs');

/**
 * Localhost certificates from office-addin-dev-certs, in its usual folder (~/.office-addin-dev-certs),
 * generated when missing or about to expire. Only generated: trusting the CA (its `install`) needs
 * an administrator, so the README tells each platform's way.
 */
export async function devCertificates(): Promise<{ cert: Buffer; key: Buffer; caPath: string }> {
  const caCertificatePath = join(DEV_CERTS_DIR, 'ca.crt');
  const localhostCertificatePath = join(DEV_CERTS_DIR, 'localhost.crt');
  const localhostKeyPath = join(DEV_CERTS_DIR, 'localhost.key');
  if (!usable(localhostCertificatePath) || !existsSync(localhostKeyPath)) {
    // Loaded only when needed: importing it costs ~100 ms of every start (docs/PERFORMANCE.md).
    const { generateCertificates } = await import('office-addin-dev-certs');
    // It writes the private key with the default mode (often world-readable): no other file is
    // being made at this point of a start, so a strict umask for the moment closes that window.
    const umask = process.umask(0o077);
    try {
      await generateCertificates(caCertificatePath, localhostCertificatePath, localhostKeyPath);
    } finally {
      process.umask(umask);
    }
  }
  // Also tightens a key an earlier version left readable by others.
  chmodSync(localhostKeyPath, 0o600);
  return { cert: readFileSync(localhostCertificatePath), key: readFileSync(localhostKeyPath), caPath: caCertificatePath };
}

function usable(certificatePath: string): boolean {
  if (!existsSync(certificatePath)) return false;
  try {
    const validTo = Date.parse(new X509Certificate(readFileSync(certificatePath)).validTo);
    return validTo - Date.now() > 24 * 3600 * 1000;
  } catch {
    return false;
  }
}
