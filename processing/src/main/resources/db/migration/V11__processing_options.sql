-- What the scene's latest process job was asked to make (dev.vsa.processing.ProcessingOptions' JSON form): given at
-- upload or on re-processing, shown with the scene. NULL on scenes from before options existed (they had the
-- defaults).
ALTER TABLE scenes ADD COLUMN processing_options jsonb;
