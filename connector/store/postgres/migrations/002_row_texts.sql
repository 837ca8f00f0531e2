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
