import type { TableSummary } from '../../../connector/contract';

export interface SectionGroup {
  /** The section as the analyst reads it: "Products/Inventory" becomes "Products › Inventory". */
  label: string;
  tables: TableSummary[];
}

/**
 * The granted tables grouped by their connector section, as the `Table` select lists them (one
 * optgroup each). Sections and titles in alphabetical order, so a table is found where one expects it.
 */
export function groupBySection(tables: TableSummary[]): SectionGroup[] {
  const groups = new Map<string, TableSummary[]>();
  for (const table of tables) {
    const label = sectionLabel(table.section);
    groups.set(label, [...(groups.get(label) ?? []), table]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, list]) => ({ label, tables: list.sort((a, b) => a.title.localeCompare(b.title)) }));
}

function sectionLabel(section: string | undefined): string {
  const parts = (section ?? '')
    .split('/')
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length ? parts.join(' › ') : 'Other';
}
