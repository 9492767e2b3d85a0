-- The SHA-256 of a scene's original is computed by its process job, which reads every byte anyway, instead of
-- on the upload's path; until that job has run the column is NULL.
ALTER TABLE scenes ALTER COLUMN sha256 DROP NOT NULL;
