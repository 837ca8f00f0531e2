/** One line of the results table. A benchmark row may print several (e.g. throughput, then p99). */
export interface ResultLine {
  /** The row number, e.g. "1". */
  row: string;
  what: string;
  /** Medians as measured, side by side. */
  figures: string;
  /** The ratio the target is about ("" when the line only reports). */
  ratio: string;
  target: string;
  /** true = met, false = missed, null = reported only / pending. */
  met: boolean | null;
}

const HEADERS = ['#', 'measurement', 'medians (this run)', 'ratio', 'target', 'met'];

function metText(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}

/** A Markdown table (readable in a terminal, pasteable into docs/PERFORMANCE.md). */
export function printTable(lines: readonly ResultLine[], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const cells = lines.map((l) => [l.row, l.what, l.figures, l.ratio, l.target, metText(l.met)].map(escapeCell));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const format = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |\n`;
  write(format(HEADERS));
  write(format(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) write(format(row));
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
