import type { Command } from 'commander';
import type { TableDefinition } from '../tables/definition';
import { parseRowsFile } from '../tables/import';
import { CliError } from './cli-error';
import { adminCommand, type AdminOptions } from './options';
import { print } from './print';
import { withAdmin } from './with-admin';

/** `sheetgate import TABLE FILE`: upserts rows, all or nothing, through `POST /admin/tables/:table/rows`'s service. */
export function addImportCommand(program: Command, env: NodeJS.ProcessEnv): void {
  adminCommand(program, 'import')
    .description('upsert rows from a CSV (header row of field names) or JSON file, all or nothing (system admins)')
    .argument('<table>', 'table id, e.g. products')
    .argument('<file>', 'FILE.csv or FILE.json')
    .action(async (tableId: string, file: string, options: AdminOptions, command: Command) => {
      const answer = await withAdmin(command, env, async (admin) => {
        const definitions = await admin.tableDefinitions();
        const definition = definitions.find((table) => table.id === tableId);
        if (!definition) throw new CliError(`No table "${tableId}"; tables: ${definitions.map((table) => table.id).join(', ')}.`);
        // The file is read here (a remote connector cannot see it) and typed by the table's definition.
        return admin.importRows(definition.id, parseRowsFile(file, definition as TableDefinition));
      });
      print(options.json, answer, () => `Imported ${answer.upserted} rows into "${tableId}".`);
    });
}
