-- One number that every change to the security model moves: the principal cache
-- (connector/store/postgres/principal-cache.ts) uses a principal it keeps only while this number,
-- read just before, is still the one the principal was read under. Triggers move it, not the
-- connector's code, so a change is seen however it was made: by any instance, copy-store, or an
-- operator's own SQL. Credential usage (last_used_at, last_used_ip) is not security state and
-- does not move it.
CREATE TABLE security_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version  bigint NOT NULL
);
INSERT INTO security_version (only_row, version) VALUES (true, 0);

CREATE FUNCTION security_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Once per transaction. The row triggers below are deferred to COMMIT, so the row lock this
  -- takes is held only while the transaction commits, not for the whole of a writer's transaction.
  IF current_setting('sheetgate.security_version_bumped', true) = 'yes' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('sheetgate.security_version_bumped', 'yes', true);
  UPDATE security_version SET version = version + 1;
  RETURN NULL;
END
$$;

-- The tables a principal is read from. Credentials: every column but the usage ones. TRUNCATE
-- fires no row trigger, so it has a statement trigger of its own.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organizations', 'teams', 'users', 'user_settings', 'user_organizations', 'user_teams', 'grants'] LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump()', t || '_security_version', t);
  END LOOP;
  CREATE CONSTRAINT TRIGGER credentials_security_version
    AFTER INSERT OR DELETE OR UPDATE OF id, user_id, token, name, key_digest, key_ciphertext, created_at, expires_at, revoked_at ON credentials
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
  FOREACH t IN ARRAY ARRAY['organizations', 'teams', 'users', 'user_settings', 'user_organizations', 'user_teams', 'grants', 'credentials'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump()', t || '_security_version_truncate', t);
  END LOOP;
END
$$;
