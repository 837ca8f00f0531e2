import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageRoot } from '../package-root';
import { catalogOf, type TableCatalog } from './catalog';
import type { TableDefinition } from './definition';
import { definitionError, validateDefinition } from './validate-definition';

/** Where the shipped definitions live, from source and from the bundle in dist/ alike. */
export function builtInDefinitionsDir(): string {
  return join(packageRoot(), 'connector', 'tables', 'definitions');
}

/**
 * The built-in table definitions plus an operator's own (`*.json` in `extraDir`), every one
 * validated. Any mistake stops the load with a message naming the file.
 */
export function loadCatalog(extraDir?: string): TableCatalog {
  const definitions = readDefinitions(builtInDefinitionsDir());
  if (extraDir !== undefined) {
    if (!existsSync(extraDir)) throw definitionError(`folder ${extraDir}`, 'the folder does not exist');
    definitions.push(...readDefinitions(extraDir));
  }
  return catalogOf(definitions);
}

export function readDefinitions(dir: string): TableDefinition[] {
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort()
    .map((name) => readDefinitionFile(join(dir, name)));
}

export function readDefinitionFile(path: string): TableDefinition {
  const source = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw definitionError(source, 'the file cannot be read');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw definitionError(source, `not valid JSON (${(error as Error).message})`);
  }
  const definition = validateDefinition(raw, source);
  if (source !== `${definition.id}.json`) {
    throw definitionError(source, `the file of table "${definition.id}" must be named "${definition.id}.json"`);
  }
  return definition;
}
