-- Refused requests are pruned to the newest million (audit-log.ts REFUSAL_RETENTION): this index
-- finds the cut-off and the rows before it without reading the admin actions between them.
CREATE INDEX audit_refusals ON audit (id) WHERE outcome <> 'ok';
