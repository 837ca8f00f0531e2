/** What a command prints: with `--json` the route's JSON, one line; otherwise text for people. */
export function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value) : text()}\n`);
}
