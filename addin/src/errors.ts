import type { DataFormat, ErrorCode } from '../../connector/contract';

/** Failures the pane itself detects, beside the connector's contract codes. */
export type PaneOnlyCode =
  | 'bad_paste' // caught before any request
  | 'unreachable' // no HTTP answer at all
  | 'bad_response' // an answer, but not a Sheetgate connector's
  | 'cancelled'
  | 'table_missing' // a bound Excel table was deleted from the workbook
  | 'columns_missing' // none of the columns the analyst chose is sent any more
  | 'excel_failed'
  | 'redirected' // the connector URL answered with a redirect, which is never followed
  | 'too_many_rows' // more rows than a worksheet holds
  | 'table_busy' // Excel refused to move rows or columns (a filter, merged cells, a PivotTable)
  | 'cell_editing'; // the analyst kept a cell in edit mode for the whole wait

export type PaneErrorCode = ErrorCode | PaneOnlyCode;

/** The one error type the pane shows: `message` is already in plain words for the analyst. */
export class PaneError extends Error {
  constructor(
    readonly code: PaneErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaneError';
  }
}

export function isPaneError(value: unknown, code?: PaneErrorCode): value is PaneError {
  return value instanceof PaneError && (code === undefined || value.code === code);
}

/** What a message may need beyond the code. */
export interface MessageContext {
  /** The connector's own sentence, for codes whose plain wording depends on the request. */
  serverMessage?: string;
  retryAfterSeconds?: number | null;
  /** For `tier_not_granted`: the highest format the caller still has on the table, when known. */
  highestFormat?: DataFormat | null;
}

/**
 * Answers that mean these credentials no longer work, whatever is asked next: the pane shows itself
 * signed out, and a refresh of several tables stops at the first.
 */
export const CREDENTIALS_REFUSED: ReadonlySet<string> = new Set([
  'missing_credentials',
  'invalid_credentials',
  'credentials_revoked',
  'credentials_expired',
  'user_inactive',
  'ip_not_allowed',
  'https_required',
]);

/** Plain words that say what to do, for every code a connector can answer with. */
export function messageFor(code: ErrorCode, context: MessageContext = {}): string {
  switch (code) {
    case 'credentials_revoked':
      return 'Your API access was revoked. Ask your administrator to authorize you again.';
    case 'credentials_expired':
      return 'Your API key has expired. Ask your administrator for a new token and key.';
    case 'invalid_credentials':
      return 'The connector did not accept this API token and key. Paste them again exactly as your administrator gave them.';
    case 'missing_credentials':
      return 'Paste your API token and API key, then press Connect.';
    case 'user_inactive':
      return 'Your account is deactivated. Ask your administrator to reactivate it.';
    case 'ip_not_allowed':
      return 'The connector refuses requests from your network address. Connect from an allowed network, or ask your administrator to allow this one.';
    case 'https_required':
      return 'The connector only accepts secure connections from your network. Change the Connector URL to start with https://.';
    case 'rate_limited': {
      const wait = context.retryAfterSeconds;
      return wait && wait > 0
        ? `The connector is receiving too many requests. Wait ${wait} second${wait === 1 ? '' : 's'}, then try again.`
        : 'The connector is receiving too many requests. Wait a minute, then try again.';
    }
    case 'tier_not_granted':
      return context.highestFormat
        ? `Your access to this table goes up to the "${context.highestFormat}" format. Choose "${context.highestFormat}" in Format, or ask your administrator for more.`
        : 'This format is above your access to this table. Choose a lower format, or ask your administrator for more.';
    case 'no_access':
      return 'You no longer have access to this table. Ask your administrator to grant it to you again.';
    case 'not_found':
      return 'The connector has no such table any more. Ask your administrator whether it was renamed or removed.';
    case 'forbidden':
      return 'Your account may not do this. Ask your administrator if you need it.';
    case 'invalid_request':
    case 'credentials_in_query':
      return `The connector refused the request: ${context.serverMessage ?? 'it was not valid.'} If this keeps happening, tell your administrator.`;
    case 'method_not_allowed':
    case 'conflict':
    case 'payload_too_large':
    case 'internal_error':
    case 'not_ready':
      return 'The connector could not answer just now. Try again in a moment; if it keeps failing, tell your administrator.';
  }
}

export const paneMessages = {
  unreachable: (url: string) =>
    `Cannot reach the connector at ${url}. Check the Connector URL and your network connection, then try again.`,
  badResponse: (url: string) =>
    `${url} answered, but not like a Sheetgate connector. Check the Connector URL.`,
  cancelled: 'Cancelled. Nothing in the workbook was changed.',
  notConnected: 'Connect first: paste your API token and API key, then press Connect.',
  tableMissing: (name: string) =>
    `The table ${name} is no longer in this workbook, so it was taken off the list. Insert it again if you need it.`,
  busy: 'Wait for the current pull to finish, or press Cancel.',
  tableNotFound: 'Not found in this workbook (deleted, or renamed in another copy of the file). Refresh it to take it off the list, or insert it again.',
  redirected: (url: string, target: string | null) =>
    target
      ? `The connector at ${url} answered with a redirect to ${target}. Sheetgate never follows a redirect, so your key is not sent elsewhere: if that is your connector, enter it as the Connector URL; otherwise ask your administrator.`
      : `The connector at ${url} answered with a redirect to another address (the browser does not say which). Sheetgate never follows a redirect, so your key is not sent elsewhere: open the Connector URL in a browser to see where it leads, or ask your administrator for the right address.`,
  endlessPages: (url: string, table: string, pages: number) =>
    `The connector at ${url} kept sending more pages of ${table} (${pages.toLocaleString('en-US')} so far, or the same page again), so the pull was stopped and nothing was changed. Tell your administrator.`,
  tooManyRows: (table: string, max: number) =>
    `${table} has more rows than an Excel worksheet holds (${max.toLocaleString('en-US')}), so the pull was stopped and nothing was changed. Ask your administrator for a smaller table.`,
  waiting: (seconds: number, reason: 'rate_limited' | 'unreachable') =>
    reason === 'rate_limited'
      ? `The connector is busy: trying again in ${seconds} s…`
      : `The connector did not answer: trying again in ${seconds} s…`,
  noFilterValue: (field: string) => `Type the value that ${field} must have under Only rows where, or choose any row, then press Insert table.`,
  nothingToRefresh: 'There are no Sheetgate tables in this workbook to refresh yet.',
  noColumnChosen: 'Choose at least one column under Columns, or tick All columns, then press Insert table.',
  /** A refresh that went through without some chosen columns: which ones, and what to do. */
  columnsGone: (title: string, names: string[]) =>
    names.length === 1
      ? `${title}: the column ${quotedList(names)} is no longer available to you, so it was left out and the other columns were refreshed. Ask your administrator if you still need it.`
      : `${title}: the columns ${quotedList(names)} are no longer available to you, so they were left out and the other columns were refreshed. Ask your administrator if you still need them.`,
  noChosenColumns: (title: string, names: string[]) =>
    `None of the columns chosen for ${title} (${quotedList(names)}) is available to you any more, so the table was left as it was. Insert it again to choose other columns, or ask your administrator.`,
} as const;

/** "A", "A" and "B", "A", "B" and "C". */
export function quotedList(names: string[]): string {
  const all = names.map((n) => `"${n}"`);
  return all.length > 1 ? `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}` : (all[0] ?? '');
}
