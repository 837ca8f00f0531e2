/** A key pasted into a URL path must not reach a log, the audit file or an error message. */
export function redactKeys(text: string): string {
  return text.replace(/sgk_[0-9A-Za-z]*/g, 'sgk_[redacted]');
}

/** File system paths in an error message (`open '/srv/data/security.json'`) must not reach a log. */
export function redactPaths(text: string): string {
  return text
    .replace(/file:\/\/[^\s'"`]+/g, '[path]')
    .replace(/(^|[\s'"`(=])(?:[A-Za-z]:)?[\\/][^\s'"`()]+/g, '$1[path]');
}
