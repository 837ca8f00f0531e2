import type { Binding } from './bindings';
import { PaneError, paneMessages, quotedList } from './errors';
import type { RefreshAllResult, RefreshResult } from './pull';

/** The line under a bound table's name, e.g. "customers · detail · 3 columns chosen · refreshed …". */
export function describeBinding(binding: Binding): string {
  const when = new Date(binding.lastRefreshed).toLocaleString();
  const some = binding.columns ? ` · ${count(binding.columns.length, 'column')} chosen` : '';
  const links = binding.children.length ? ` · ${binding.children.length} linked` : '';
  const only = binding.filter ? ` · only ${binding.filter.field} = ${binding.filter.value}` : '';
  return `${binding.table} · ${binding.format}${some}${only} · refreshed ${when}${links}`;
}

/** Beside a bound table: the chosen columns its last refresh went without, if any. */
export function goneNote(columns: string[] | undefined): string | undefined {
  return columns?.length ? `Left out, no longer available to you: ${quotedList(columns)}` : undefined;
}

/** One plain sentence per refreshed table that went without some of its chosen columns. */
export function columnNotes(results: RefreshResult[]): string[] {
  return results
    .filter((r) => r.missingColumns.length > 0)
    .map((r) => paneMessages.columnsGone(r.binding.title, r.missingColumns));
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** What Refresh all says when it went through; a failure is thrown as the PaneError to show. */
export function refreshAllMessage(result: RefreshAllResult): string {
  if (result.stoppedBy) throw result.stoppedBy;
  const notes = columnNotes(result.refreshed);
  if (result.failures.length) {
    throw new PaneError(
      result.failures[0]!.error.code,
      [...result.failures.map((f) => `${f.binding.title}: ${f.error.message}`), ...notes].join('\n'),
    );
  }
  return [`Refreshed ${count(result.refreshed.length, 'table')}.`, ...notes].join('\n');
}
