import { createHash } from 'node:crypto';
import { FORMATS, type DataFormat } from '../contract';
import type { RowTextFormat } from '../store/types';
import type { FieldDefinition, TableDefinition } from './definition';
import { projectionFor, shownAt } from './projection';

// The formats at which a store may keep a table's rows serialized: those whose fields, shown to a
// viewer no lookup applies to, read the stored row alone (projection.ts: `viewerFree`). A
// viewer-dependent field (a price of the viewer's own list) is never in such a text: a viewer with
// that lookup gets another field set, which is serialized per request.

/** Bump when projection.ts changes how a row becomes text: every kept text is then refilled. */
const SERIALIZER_VERSION = 1;

const DATA_FORMATS = FORMATS.filter((format): format is DataFormat => format !== 'none');

export function rowTextFormats(definition: TableDefinition): RowTextFormat[] {
  return DATA_FORMATS.flatMap((format) => {
    const projection = projectionFor(definition, format);
    if (!projection.viewerFree) return [];
    return [{ format, fingerprint: fingerprintOf(definition, format), serialize: projection.serialize }];
  });
}

/**
 * A hash of everything the format's text depends on: the serializer's version, the fields the
 * format shows (as defined, sub-resources' too) and the lookups. Over-inclusive on purpose: a
 * change that might alter a text refills them all, one that cannot (a description) does not.
 */
function fingerprintOf(definition: TableDefinition, format: DataFormat): string {
  const shown = (fields: readonly FieldDefinition[]): unknown[] =>
    fields
      .filter((field) => shownAt(field, format))
      .map(({ description: _description, fields: sub, ...field }) => ({ ...field, ...(sub && { fields: shown(sub) }) }));
  const source = JSON.stringify([SERIALIZER_VERSION, format, shown(definition.fields), definition.lookups ?? null]);
  return createHash('sha256').update(source).digest('base64url');
}
