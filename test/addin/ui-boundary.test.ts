import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// addin/src/ui/ only shows and reads controls: talking to Excel or the connector belongs to the
// controller and below, so the views stay the same in Excel and in the preview.
describe('addin/src/ui', () => {
  const dir = join(import.meta.dirname, '../../addin/src/ui');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

  it('makes no Excel, office.js or fetch calls', () => {
    expect(sources.length).toBeGreaterThan(5);
    for (const [file, source] of sources) {
      expect(source, file).not.toMatch(/\bExcel\.|\bOffice\.|\bfetch\(|context\.sync|XMLHttpRequest/);
      expect(source, file).not.toMatch(/from '\.\.\/(connector|pull|workbook\/|bindings|credentials)/);
    }
  });
});
