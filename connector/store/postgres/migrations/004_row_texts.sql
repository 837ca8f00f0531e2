-- Which serializer wrote the rows' json_* texts: one fingerprint per table and format (a hash of
-- what the table layer's projection of that format depends on). A text is served only while its
-- table and format carry the reader's own fingerprint; connector/store/postgres/row-texts.ts
-- holds the rule and changes a fingerprint only together with the texts it covers.
CREATE TABLE row_text_formats (
  table_id    text NOT NULL,
  format      text NOT NULL CHECK (format IN ('basic', 'standard', 'detail', 'expanded')),
  fingerprint text NOT NULL,
  PRIMARY KEY (table_id, format)
);

-- A row with its four texts outgrows a page's inline share (~2 kB), and PostgreSQL would move
-- `data` out of line with them: every object read would fetch it from TOAST. MAIN keeps `data` and
-- the small formats' texts in the row (compressed when need be); detail's and expanded's texts,
-- the widest, go out of line first.
ALTER TABLE rows
  ALTER COLUMN data SET STORAGE MAIN,
  ALTER COLUMN json_basic SET STORAGE MAIN,
  ALTER COLUMN json_standard SET STORAGE MAIN;
