import { CLI_ACTOR } from '../security/actor';
import { importTableRows } from '../tables/admin-rows';
import { parseRowsFile } from '../tables/import';
import { CliError } from './cli-error';
import { withDataDir } from './open-data-dir';
import { DATA_OPTION, parseCommand } from './options';

const USAGE = 'sheetgate import TABLE FILE.csv|FILE.json [--data DIR [--secret-file FILE] | --database-url URL]';

/** Upserts rows from a file, all or nothing, exactly as `POST /admin/tables/:table/rows`. */
export async function importCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseCommand(args, DATA_OPTION, USAGE);
  const [tableId, file, extra] = positionals;
  if (!tableId || !file || extra !== undefined) throw new CliError(`Name one table and one file. Usage: ${USAGE}`);
  const count = await withDataDir(values, env, async (services) => {
    const definition = services.tables.get(tableId);
    if (!definition) {
      throw new CliError(`No table "${tableId}"; tables: ${services.tables.list().map((t) => t.id).join(', ')}.`);
    }
    return importTableRows(services, CLI_ACTOR, definition.id, parseRowsFile(file, definition));
  });
  process.stdout.write(`Imported ${count} rows into "${tableId}".\n`);
}
