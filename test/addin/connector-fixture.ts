/** A connector as the contract describes it, for msw: one analyst, a paged `customers` table. */
import { http, HttpResponse } from 'msw';
import type { Column, DataFormat, MeResponse, Row, TablePage, TableSummary } from '../../connector/contract';

export const BASE = 'https://connector.test';
// Shaped like real pairs, made up for tests.
export const CREDENTIALS = {
  url: BASE,
  token: 'sgt_test0token0000000000000001',
  key: 'sgk_test0key00000000000000000000000001',
};

export const me: MeResponse = {
  user: { id: 'u1', username: 'ann', name: 'Ann Analyst', email: 'ann@example.com', kind: 'api', roles: ['member'] },
  organizations: [],
  teams: [],
  credential: { id: 'c1', token: CREDENTIALS.token, name: 'default', createdAt: '2024-01-01T00:00:00Z', expiresAt: null, lastUsedAt: null },
  endpoint: BASE,
};

export const tables: TableSummary[] = [
  { id: 'customers', title: 'Customers', section: 'Customers', maxFormat: 'expanded', formats: ['basic', 'standard', 'detail', 'expanded'] },
  { id: 'products', title: 'Products', section: 'Products/Inventory', maxFormat: 'standard', formats: ['basic', 'standard'] },
];

const everyCustomer = [
  { Code: 'C001', Name: 'Acme', rep: ['01', 'John Smith'], limit: 1000, since: '2020-01-15', addresses: [['Main St 1', 'Oslo'], ['Dock 4', 'Bergen']] },
  { Code: 'C002', Name: 'Bolt', rep: ['02', 'Jane Doe'], limit: 2500.5, since: '2021-06-01', addresses: [] },
  { Code: 'C003', Name: 'Crane', rep: ['01', 'John Smith'], limit: 0, since: '2019-11-30', addresses: [['Hill 9', 'Trondheim']] },
  { Code: 'C004', Name: 'Dune', rep: ['03', 'Max Moe'], limit: 750, since: '2022-02-02', addresses: [] },
  { Code: 'C005', Name: 'Echo', rep: ['02', 'Jane Doe'], limit: 50, since: '2023-03-03', addresses: [['Quay 2', 'Oslo']] },
];

export function customerColumns(format: DataFormat): Column[] {
  const columns: Column[] = [
    { name: 'Code', type: 'string' },
    { name: 'Name', type: 'string' },
  ];
  if (format === 'basic') return columns;
  columns.push({ name: 'Sales Rep', type: 'coded' }, { name: 'Credit Limit', type: 'number' }, { name: 'Since', type: 'date' });
  if (format === 'standard') return columns;
  columns.push({
    name: 'Delivery Addresses',
    type: 'table',
    columns: [
      { name: 'Line', type: 'string' },
      { name: 'City', type: 'string' },
    ],
  });
  return columns;
}

export function customerRows(format: DataFormat): Row[] {
  return everyCustomer.map((c) => {
    const row: Row = { Code: c.Code, Name: c.Name };
    if (format === 'basic') return row;
    row['Sales Rep'] = format === 'expanded' ? { Code: c.rep[0]!, DisplayAs: `${c.rep[0]} - ${c.rep[1]}` } : `${c.rep[0]} - ${c.rep[1]}`;
    row['Credit Limit'] = c.limit;
    row.Since = c.since;
    if (format === 'standard') return row;
    row['Delivery Addresses'] = c.addresses.map(([Line, City]) => ({ Line: Line!, City: City! }));
    return row;
  });
}

/** Pages of 2, 2 and 1 rows, linked by cursors c1 and c2. */
export function pagesOf(format: DataFormat): TablePage[] {
  const rows = customerRows(format);
  const cuts: Array<[number, number, string | null]> = [
    [0, 2, 'c1'],
    [2, 4, 'c2'],
    [4, 5, null],
  ];
  return cuts.map(([from, to, nextCursor]) => ({
    table: 'customers',
    format,
    columns: customerColumns(format),
    rows: rows.slice(from, to),
    nextCursor,
  }));
}

export const customerPages = pagesOf('standard');

export function connectorHandlers() {
  return [
    http.get(`${BASE}/v1/me`, () => HttpResponse.json(me)),
    http.get(`${BASE}/v1/tables`, () => HttpResponse.json({ tables })),
    http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const format = (params.get('format') ?? 'basic') as DataFormat;
      const index = [null, 'c1', 'c2'].indexOf(params.get('cursor'));
      const page = pagesOf(format)[index];
      return page ? HttpResponse.json(page) : HttpResponse.json({ error: { code: 'invalid_request', message: 'Bad cursor.' } }, { status: 400 });
    }),
  ];
}
