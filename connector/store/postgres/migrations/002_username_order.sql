-- The admin user list pages by lowercased username in byte order (the order JavaScript compares
-- ASCII strings in, whatever the database's collation): this index lets a page read its own users
-- instead of sorting them all.
CREATE INDEX users_username_order ON users ((lower(username) COLLATE "C"));
