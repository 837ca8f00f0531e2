import { parseArgs } from 'node:util';
import type { TablePage, TableSummary } from '../connector/contract';
import { memoryBindingStore } from '../addin/src/bindings';
import { ConnectorClient } from '../addin/src/connector';
import { insertTable } from '../addin/src/pull';
import { ExcelWorkbook, type ExcelRun } from '../addin/src/workbook/excel';
import { FakeExcel } from '../test/addin/fake-excel';

// Row 5, in its own process (built apart, so a half-written add-in leaves row 5 "pending" and the
// other rows running): the add-in's own client fetches every page of a 100,000-row table from the
// connector; then the add-in's own insert path (shape → Excel values + number formats → blocks →
// context.sync) writes those pages into the in-memory fake Excel. Time spent inside the fake's
// sync() (serializing the request as office.js does at sync, and the fake's bookkeeping, standing
// in for Excel's own work) is subtracted. The fake keeps no cells here: a 100,000-row workbook in
// its Maps would make this process's heap, and every garbage collection in the transform, the fake's.
// Prints one JSON object on stdout.

const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, key: { type: 'string' }, rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const client = ConnectorClient.create({ url: values.url!, token: values.token!, key: values.key! });

async function fetchAll(): Promise<{ ms: number; pages: TablePage[] }> {
  const started = performance.now();
  const pages: TablePage[] = [];
  for await (const page of client.pages('customers', 'standard')) pages.push(page);
  return { ms: performance.now() - started, pages };
}

async function transform(pages: TablePage[]) {
  const excel = new FakeExcel();
  excel.retainCells = false;
  let inFake = 0;
  const run = (async (batch: (context: Excel.RequestContext) => Promise<unknown>) =>
    excel.run(async (context) => {
      const sync = context.sync.bind(context);
      context.sync = (async <T>(value?: T) => {
        const started = performance.now();
        try {
          return await sync(value);
        } finally {
          inFake += performance.now() - started;
        }
      }) as typeof context.sync;
      return batch(context);
    })) as ExcelRun;
  const summary: TableSummary = { id: 'customers', title: 'Customers', section: 'Customers', maxFormat: 'standard', formats: ['basic', 'standard'] };
  const stub = {
    async *pages() {
      for (const page of pages) yield page;
    },
  } as unknown as ConnectorClient;
  const started = performance.now();
  await insertTable({ client: stub, workbook: new ExcelWorkbook(run), bindings: memoryBindingStore() }, summary, 'standard');
  const total = performance.now() - started;
  return {
    ms: total - inFake,
    fakeMs: inFake,
    syncs: excel.syncs.length,
    maxPayload: Math.max(...excel.syncs.map((s) => s.payload)),
    totalPayload: excel.syncs.reduce((sum, s) => sum + s.payload, 0),
    rowsWritten: excel.tables[0] ? excel.tables[0].rows - 1 : 0,
  };
}

// Every fetch first, then every transform: the fake's long synchronous work would otherwise leave
// the kept-alive connection idle past the server's keep-alive timeout between fetches.
await fetchAll(); // warm-up: connection, JIT
const fetches: number[] = [];
let pages: TablePage[] = [];
for (let round = 0; round < rounds; round++) {
  const fetched = await fetchAll();
  fetches.push(fetched.ms);
  pages = fetched.pages;
}
const transforms: Awaited<ReturnType<typeof transform>>[] = [];
await transform(pages); // warm-up, as the fetch has one: JIT
for (let round = 0; round < rounds; round++) transforms.push(await transform(pages));
process.stdout.write(
  `${JSON.stringify({
    rows: pages.reduce((n, p) => n + p.rows.length, 0),
    columns: pages[0]?.columns.length ?? 0,
    pages: pages.length,
    fetches,
    transforms,
  })}\n`,
);
