-- A direct upload carries the processing options its scene is made with (given when it is opened, so a bad one is
-- refused before any byte is sent); '{}' is the defaults.
ALTER TABLE direct_uploads ADD COLUMN processing_options jsonb NOT NULL DEFAULT '{}'::jsonb;
