/** A key pasted into a URL path must not reach a log or the audit file. */
export function redactKeys(text: string): string {
  return text.replace(/sgk_[0-9A-Za-z]*/g, 'sgk_[redacted]');
}
