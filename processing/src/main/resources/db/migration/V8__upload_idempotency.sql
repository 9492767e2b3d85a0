-- An upload may carry an Idempotency-Key: a retry after an answer that never arrived (a dropped connection, a
-- commit whose outcome the server could not learn) finds the scene the first attempt made instead of adding one.
ALTER TABLE scenes ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX scenes_idempotency ON scenes (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
