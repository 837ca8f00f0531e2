import type { ColumnType, DataFormat } from '../contract';

// Table definitions are data (JSON files in ./definitions), not code. This is their shape.

export interface FieldDefinition {
  /** Column name as analysts see it, e.g. "Sales Rep". */
  name: string;
  type: ColumnType;
  /**
   * The lowest format that shows this field. Optional on a sub-resource's own fields in the JSON
   * (they default to the sub-resource's format); always filled in once loaded.
   */
  format: DataFormat;
  /** Sub-resource fields, for `type: "table"`. */
  fields?: FieldDefinition[];
  /**
   * Stored and imported, never shown at any format: raw material for a derived field (e.g. every
   * price list's price, of which a viewer sees only their own).
   */
  hidden?: boolean;
  /** Computed per viewer instead of stored; see `DerivedValue`. */
  from?: DerivedValue;
  description?: string;
}

/** The per-user settings a lookup can start from. */
export type ViewerSetting = 'warehouse' | 'priceCustomer';

/**
 * A value resolved once per request from the caller's settings: the setting itself, or a field of
 * the row whose key is the setting (e.g. the `Price List` of the caller's `priceCustomer`).
 * A blank setting resolves to nothing, and every field derived from it is then absent.
 */
export interface ViewerLookup {
  setting: ViewerSetting;
  table?: string;
  field?: string;
}

/**
 * A derived field's value: the named lookup itself, or, with `pick`, the `take` field of the entry
 * of this row's `from` sub-resource whose `match` field equals the lookup's value.
 */
export interface DerivedValue {
  lookup: string;
  pick?: { from: string; match: string; take: string };
}

export interface RowScope {
  by: 'organization' | 'team' | 'warehouse' | 'none';
  /** The row field holding the organization id, team id or warehouse code. */
  field?: string;
}

export interface TableDefinition {
  id: string;
  title: string;
  section: string;
  description?: string;
  /** Primary key field: paging order and `/rows/:key`. */
  key: string;
  fields: FieldDefinition[];
  scope: RowScope;
  /** Named viewer lookups that derived fields (`from`) refer to. */
  lookups?: Record<string, ViewerLookup>;
}
