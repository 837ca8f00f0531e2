import type { Column } from '../../connector/contract';

/**
 * Which of a table's columns (the connector's top-level column names) the analyst chose to insert.
 * `null` means every column, including any the connector starts sending later (a raised grant):
 * only an explicit subset is pinned.
 */
export type ColumnChoice = string[] | null;

/** The chosen columns the connector sent, in the connector's order (the key first, as the contract lists it). */
export function keptColumns(columns: Column[], chosen: ColumnChoice): Column[] {
  if (chosen === null) return columns;
  const wanted = new Set(chosen);
  return columns.filter((c) => wanted.has(c.name));
}

/** Chosen columns the connector no longer sends (a lowered grant, a removed field), in the choice's order. */
export function missingColumns(columns: Column[], chosen: ColumnChoice): string[] {
  if (chosen === null) return [];
  const sent = new Set(columns.map((c) => c.name));
  return chosen.filter((name) => !sent.has(name));
}

/** Normalizes what a picker reports: every column ticked is `null`, so later columns are not shut out. */
export function choiceOf(all: Column[], ticked: string[]): ColumnChoice {
  const names = new Set(ticked);
  return all.every((c) => names.has(c.name)) ? null : all.filter((c) => names.has(c.name)).map((c) => c.name);
}
