-- The first schema: the security model, the audit log, table rows and the cluster-wide rate limit.
-- Time stamps are timestamptz (the connector speaks ISO 8601 UTC); ids are the connector's UUIDs.
-- Unique indexes and constraints carry the names connector/store/postgres/errors.ts maps to a
-- `409 conflict` message: rename one only together with that map.

CREATE TABLE organizations (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('provider', 'client')),
  -- A client's provider. RESTRICT: a provider with clients is not deleted from under them.
  parent     text REFERENCES organizations (id) ON DELETE RESTRICT,
  created_at timestamptz NOT NULL
);
-- Names are unique ignoring case, as the services compare them (ASCII-safe in any locale).
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));
CREATE INDEX organizations_parent ON organizations (parent) WHERE parent IS NOT NULL;

CREATE TABLE teams (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

CREATE TABLE users (
  id             text PRIMARY KEY,
  username       text NOT NULL,
  email          text NOT NULL,
  name           text NOT NULL DEFAULT '',
  surname        text NOT NULL DEFAULT '',
  description    text NOT NULL DEFAULT '',
  kind           text NOT NULL CHECK (kind IN ('portal', 'api')),
  -- In the order given, as the embedded store keeps them.
  roles          text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['system-admin', 'portal-admin', 'member']),
  active         boolean NOT NULL,
  allowed_ips    text[] NOT NULL DEFAULT '{}',
  api_authorized boolean NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
-- The database, not a scan, keeps usernames and e-mail addresses unique when several instances
-- create users at once. lower() folds what the services' rules admit (ASCII usernames and
-- addresses) the same in every locale.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE user_settings (
  user_id        text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- Blank means "none", as in UserSettings.
  warehouse      text NOT NULL DEFAULT '',
  price_customer text NOT NULL DEFAULT ''
);

-- Memberships keep their position so a user's lists read back in the order they were written.
CREATE TABLE user_organizations (
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id text NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  position        integer NOT NULL,
  PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX user_organizations_organization ON user_organizations (organization_id);

CREATE TABLE user_teams (
  user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  team_id  text NOT NULL REFERENCES teams (id) ON DELETE RESTRICT,
  position integer NOT NULL,
  PRIMARY KEY (user_id, team_id)
);
CREATE INDEX user_teams_team ON user_teams (team_id);

-- The highest format a user may read of a table. No row is `none`, so `none` is never stored.
-- table_id names a table definition (JSON files), not a row here: no foreign key.
CREATE TABLE grants (
  user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  table_id text NOT NULL,
  format   text NOT NULL CHECK (format IN ('basic', 'standard', 'detail', 'expanded')),
  PRIMARY KEY (user_id, table_id)
);

-- No foreign key to users: a credential outlives its user's deletion (revoked), so the deleted
-- user's pair keeps answering `credentials_revoked` instead of `invalid_credentials`.
CREATE TABLE credentials (
  id             text PRIMARY KEY,
  user_id        text NOT NULL,
  token          text NOT NULL CONSTRAINT credentials_token_key UNIQUE,
  name           text NOT NULL,
  -- HMAC-SHA-256 of the key under the server secret, hex; never the key itself.
  key_digest     text NOT NULL,
  -- AES-256-GCM ciphertext of the key under the server secret.
  key_ciphertext text NOT NULL,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz,
  revoked_at     timestamptz,
  -- Usage, written coalesced rather than per request.
  last_used_at   timestamptz,
  last_used_ip   text
);
CREATE INDEX credentials_user ON credentials (user_id, created_at);

-- Admin actions and refused requests of every instance, in one table: `id` is the newest-first
-- paging order (keyset on the primary key), and each filter of GET /admin/audit has an index that
-- ends in id. `action` sorts bytewise so the prefix filter (`credential.`) is an index range.
-- Retention, should it come, prunes refusals (outcome <> 'ok') apart, so a flood of refused
-- requests never pushes admin actions out.
CREATE TABLE audit (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL,
  actor    text NOT NULL,
  actor_id text,
  action   text COLLATE "C" NOT NULL,
  target   text,
  ip       text,
  outcome  text NOT NULL
);
CREATE INDEX audit_actor ON audit (actor, id);
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_target ON audit (target, id);
CREATE INDEX audit_outcome ON audit (outcome, id);

-- Table rows. A page is one indexed query:
--   WHERE table_id = $1 [AND scope_value = ANY($2)] AND sort_key > $3 ORDER BY sort_key LIMIT $4
-- `key` is String(key), how rows are addressed (/rows/:key) and unique; `sort_key` is the key in
-- compareKeys order (connector/store/postgres/sort-key.ts says why it is not `key COLLATE "C"`).
-- `scope_value` is the row's value of its definition's scope field (organization, team or
-- warehouse), null for unscoped tables. `data` is the row for filters and copies; the json_*
-- columns hold the row already serialized per format, written at import, so a page is assembled
-- from stored text; null where the table does not offer the format.
CREATE TABLE rows (
  table_id      text NOT NULL,
  key           text COLLATE "C" NOT NULL,
  sort_key      bytea NOT NULL,
  scope_value   text,
  data          jsonb NOT NULL,
  json_basic    text,
  json_standard text,
  json_detail   text,
  json_expanded text,
  PRIMARY KEY (table_id, key)
);
CREATE INDEX rows_scope_order ON rows (table_id, scope_value, sort_key);
CREATE INDEX rows_order ON rows (table_id, sort_key);

-- The per-credential rate limit for the whole cluster: fixed windows aligned to multiples of the
-- window length (so every instance agrees which window a request falls in), counted with
-- INSERT ... ON CONFLICT DO UPDATE SET count = count + n. UNLOGGED: a server crash forgives the
-- counts, as a restart forgives the embedded store's in-memory ones, and no WAL is spent on them.
CREATE UNLOGGED TABLE rate_limit_windows (
  credential_id text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         integer NOT NULL CHECK (count >= 0),
  PRIMARY KEY (credential_id, window_start)
);
-- Sweeping windows that have ended.
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start);
