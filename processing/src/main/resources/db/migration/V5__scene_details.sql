-- What a pipeline or a person says about a scene: a display name, a description and tags (PATCH /scenes/{id}).
ALTER TABLE scenes ADD COLUMN name        text;
ALTER TABLE scenes ADD COLUMN description text   NOT NULL DEFAULT '';
ALTER TABLE scenes ADD COLUMN tags        text[] NOT NULL DEFAULT '{}';
-- Filtering an owner's scenes by tag.
CREATE INDEX scenes_tags ON scenes USING gin (tags);
