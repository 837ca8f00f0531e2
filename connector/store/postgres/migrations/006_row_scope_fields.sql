-- Which field each table's rows.scope_value was derived from: NULL for an unscoped table (every
-- scope_value null). A table without a row here (rows written before this migration) is derived
-- again by the next instance to open it. connector/store/postgres/row-scopes.ts holds the rule: a
-- page trusts scope_value only while this names the reader's own scope field, and this changes
-- only together with every scope_value of the table.
CREATE TABLE row_scope_fields (
  table_id    text PRIMARY KEY,
  scope_field text
);
