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

CREATE CONSTRAINT TRIGGER organizations_security_version AFTER INSERT OR UPDATE OR DELETE ON organizations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER teams_security_version AFTER INSERT OR UPDATE OR DELETE ON teams
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER users_security_version AFTER INSERT OR UPDATE OR DELETE ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER user_settings_security_version AFTER INSERT OR UPDATE OR DELETE ON user_settings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER user_organizations_security_version AFTER INSERT OR UPDATE OR DELETE ON user_organizations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER user_teams_security_version AFTER INSERT OR UPDATE OR DELETE ON user_teams
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
CREATE CONSTRAINT TRIGGER grants_security_version AFTER INSERT OR UPDATE OR DELETE ON grants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();
-- Every column but the usage ones.
CREATE CONSTRAINT TRIGGER credentials_security_version
  AFTER INSERT OR DELETE OR UPDATE OF id, user_id, token, name, key_digest, key_ciphertext, created_at, expires_at, revoked_at ON credentials
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION security_version_bump();

-- TRUNCATE fires no row trigger.
CREATE TRIGGER organizations_security_version_truncate AFTER TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER teams_security_version_truncate AFTER TRUNCATE ON teams FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER users_security_version_truncate AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER user_settings_security_version_truncate AFTER TRUNCATE ON user_settings FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER user_organizations_security_version_truncate AFTER TRUNCATE ON user_organizations FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER user_teams_security_version_truncate AFTER TRUNCATE ON user_teams FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER grants_security_version_truncate AFTER TRUNCATE ON grants FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
CREATE TRIGGER credentials_security_version_truncate AFTER TRUNCATE ON credentials FOR EACH STATEMENT EXECUTE FUNCTION security_version_bump();
