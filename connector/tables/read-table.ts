import { DEFAULT_FORMAT, formatsUpTo, isFormat, type DataFormat, type SingleRow, type TablePage, type TableSummary } from '../contract';
import type { Services } from '../deps';
import { ApiError, invalidRequest } from '../errors';
import type { Principal } from '../security/principal';
import type { RowKey, RowPage, RowPageQuery, User } from '../store/types';
import type { TableDefinition } from './definition';
import { grantFor } from './grants';
import { resolveLookups } from './lookups';
import { decodeCursor, encodeCursor, parseLimit } from './paging';
import { projectionFor } from './projection';
import { rowFilter, rowScope, viewerFor } from './scope';
import { parseSelection, rowMatcher, selectionKey, type SelectionQuery } from './selection';

// The data routes' service: authorize (grant ≥ format), scope (rows the user may see), project
// (fields of the format), page. It takes plain values, never a Request, so the CLI can call it too.

export type TableReading = Pick<Services, 'store' | 'tables'>;

/**
 * Who reads: the user and the organizations around it, as `authenticate` read them in one
 * statement (`findPrincipal`). Any list holding at least those will do (every organization, too).
 */
export type Reader = Pick<Extract<Principal, { kind: 'user' }>, 'user' | 'organizations'>;

export interface PageQuery extends SelectionQuery {
  format?: string;
  limit?: string;
  cursor?: string;
}

/** The tables the user may read, in catalog order; `none` grants are not listed. */
export function listReadableTables(services: TableReading, user: User): TableSummary[] {
  return services.tables.list().flatMap((definition) => {
    const grant = grantFor(user, definition.id);
    if (grant === 'none') return [];
    return [{ id: definition.id, title: definition.title, section: definition.section, maxFormat: grant, formats: formatsUpTo(grant) }];
  });
}

export async function readTablePage(services: TableReading, reader: Reader, tableId: string, query: PageQuery = {}): Promise<TablePage> {
  const { definition, format, projection, page, nextCursor } = await pageFor(services, reader, tableId, query);
  return {
    table: definition.id,
    format,
    columns: [...projection.columns],
    rows: page.rows.map((row) => projection.project(row)),
    nextCursor,
  };
}

/** JSON text, or the same text as UTF-8 bytes (a page a store kept as bytes, sent on as they are). */
export type JsonText = string | Buffer<ArrayBuffer>;

/**
 * The same page as `readTablePage`, as the JSON text `JSON.stringify` would make of it (same
 * members, same order), assembled from rows serialized once per format (see projection.ts), or
 * kept serialized by the store when the page shows the whole format and no field of it depends on
 * the viewer (row-texts.ts): then as bytes, head, the store's pieces and tail copied once.
 */
export async function readTablePageJson(services: TableReading, reader: Reader, tableId: string, query: PageQuery = {}): Promise<JsonText> {
  const request = await pageRequest(services, reader, tableId, query);
  const { definition, format, projection, rowQuery } = request;
  const kept = request.wholeFormat && projection.viewerFree ? await services.store.rows.textPage?.(definition.id, format, rowQuery) : undefined;
  const head = `{"table":${JSON.stringify(definition.id)},"format":${JSON.stringify(format)},"columns":${projection.columnsJson},"rows":[`;
  if (kept) return Buffer.concat([Buffer.from(head), ...kept.rows, Buffer.from(`],"nextCursor":${JSON.stringify(cursorAfter(request, kept.lastKey))}}`)]);
  const page = await services.store.rows.page(definition.id, rowQuery);
  const tail = `],"nextCursor":${JSON.stringify(cursorAfter(request, lastKeyOf(request, page)))}}`;
  const count = page.rows.length;
  if (count === 0) return head + tail;
  const parts = new Array<string>(count);
  for (let i = 0; i < count; i++) parts[i] = projection.serialize(page.rows[i]);
  // Head and tail ride on the first and last row, so one join makes the whole flat text: a large
  // page is copied once, not again by a concatenation around it.
  parts[0] = head + parts[0];
  parts[count - 1] += tail;
  return parts.join(',');
}

/** Authorize (grant ≥ format), scope, select (fields, filters), project, page: everything a page is made of. */
async function pageFor(services: TableReading, reader: Reader, tableId: string, query: PageQuery) {
  const request = await pageRequest(services, reader, tableId, query);
  const page = await services.store.rows.page(request.definition.id, request.rowQuery);
  return { ...request, page, nextCursor: cursorAfter(request, lastKeyOf(request, page)) };
}

/** Authorize (grant ≥ format), scope, select (fields, filters), project: the page asked for, before it is read. */
async function pageRequest(services: TableReading, reader: Reader, tableId: string, query: PageQuery) {
  const { definition, format } = authorize(services, reader.user, tableId, query.format);
  const limit = parseLimit(query.limit);
  const viewer = viewerFor(reader.user, reader.organizations);
  const lookups = await resolveLookups(definition, viewer, services.store.rows);
  const selection = parseSelection(definition, projectionFor(definition, format, lookups).columns, query);
  const bound = selectionKey(format, selection);
  const after = query.cursor ? decodeCursor(definition.id, query.cursor, bound) : undefined;
  const projection = projectionFor(definition, format, lookups, selection.fields);
  const rowQuery: RowPageQuery = {
    keyField: definition.key,
    after,
    limit,
    scope: rowScope(definition, viewer),
    where: rowMatcher(definition, selection.conditions, lookups),
  };
  return { definition, format, projection, bound, rowQuery, wholeFormat: selection.fields === null };
}

/** The cursor of the page that starts after `lastKey`; null when no page follows (`lastKey` undefined). */
function cursorAfter(request: { definition: TableDefinition; bound: string }, lastKey: RowKey | undefined): string | null {
  return lastKey === undefined ? null : encodeCursor(request.definition.id, lastKey, request.bound);
}

/** The key the next page starts after, when more rows follow this one. */
function lastKeyOf(request: { definition: TableDefinition }, page: RowPage): RowKey | undefined {
  return page.more ? (page.rows[page.rows.length - 1][request.definition.key] as RowKey) : undefined;
}

/** One row by key. A row the user may not see is `not_found`, word for word as a missing one. */
export async function readTableRow(services: TableReading, reader: Reader, tableId: string, key: string, format?: string): Promise<SingleRow> {
  const authorized = authorize(services, reader.user, tableId, format);
  const { definition } = authorized;
  const viewer = viewerFor(reader.user, reader.organizations);
  const row = await services.store.rows.get(definition.id, key);
  const visible = rowFilter(definition, viewer);
  if (!row || (visible && !visible(row))) {
    throw new ApiError('not_found', `Table "${definition.id}" has no row with key "${key}".`);
  }
  const projection = projectionFor(definition, authorized.format, await resolveLookups(definition, viewer, services.store.rows));
  return { table: definition.id, format: authorized.format, columns: [...projection.columns], row: projection.project(row) };
}

/** The table and the format to read it in, or the contract's refusal, checked in this order. */
function authorize(services: TableReading, user: User, tableId: string, requested: string | undefined) {
  const definition: TableDefinition | undefined = services.tables.get(tableId);
  if (!definition) throw new ApiError('not_found', `There is no table "${tableId}".`);
  const grant = grantFor(user, definition.id);
  if (grant === 'none') throw new ApiError('no_access', `You have no access to the table "${definition.id}".`);
  const format = parseFormat(requested);
  if (!formatsUpTo(grant).includes(format)) {
    throw new ApiError(
      'tier_not_granted',
      `The format "${format}" of table "${definition.id}" is above your grant; the highest format you may use is "${grant}".`,
    );
  }
  return { definition, format };
}

function parseFormat(requested: string | undefined): DataFormat {
  if (requested === undefined || requested === '') return DEFAULT_FORMAT;
  if (!isFormat(requested) || requested === 'none') {
    throw invalidRequest(`Field "format": "${requested}" is not a format; use basic, standard, detail or expanded.`);
  }
  return requested;
}
