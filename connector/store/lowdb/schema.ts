/** Version of the on-disk layout; bump it with a migration when the stored shape changes. */
export const SCHEMA_VERSION = 1;

export interface Versioned {
  schemaVersion: number;
}

export function checkSchemaVersion(file: string, data: Versioned): void {
  if (data.schemaVersion === SCHEMA_VERSION) return;
  if (typeof data.schemaVersion !== 'number') {
    throw new Error(`${file} has no schema version; it was not written by Sheetgate.`);
  }
  throw new Error(
    `${file} has schema version ${data.schemaVersion}, but this Sheetgate reads version ${SCHEMA_VERSION}; ` +
      'use the Sheetgate release that wrote it.',
  );
}

/** Refuses a file that lacks a list Sheetgate always writes, before anything indexes it. */
export function checkLists(file: string, data: object, names: readonly string[]): void {
  for (const name of names) {
    if (!Array.isArray((data as Record<string, unknown>)[name])) {
      throw new Error(`${file} has no "${name}" list; it is damaged or was not written by Sheetgate. Restore it from a backup.`);
    }
  }
}
