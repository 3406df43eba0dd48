-- Fast fuzzy name search. Each record keeps the words of its folded name (`name_words`,
-- GIN-indexed); the office's `name_lexicon` keeps every distinct name word with its letters
-- sorted. A search word is first matched against the small lexicon (similar words,
-- prefixes, and the same letters in another order: "jhon" for "john"), then the records
-- holding any of those words are found by the array index. Far fewer rows to recheck than
-- trigram search over every record.
CREATE FUNCTION civitas_name_words(text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT w), '{}') FROM regexp_split_to_table($1, '[^[:alnum:]]+') AS w WHERE w <> ''
$$;

CREATE FUNCTION civitas_sorted_letters(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(string_agg(ch, '' ORDER BY ch COLLATE "C"), '') FROM regexp_split_to_table($1, '') AS ch
$$;

ALTER TABLE constituents ADD COLUMN name_words text[] GENERATED ALWAYS AS (public.civitas_name_words(public.civitas_fold(
  coalesce(given_name, '') || ' ' || coalesce(preferred_name, '') || ' ' || coalesce(family_name, '') || ' ' || coalesce(organisation_name, '')))) STORED;
CREATE INDEX constituents_name_words ON constituents USING gin (name_words);

CREATE TABLE name_lexicon (
  office_id uuid NOT NULL REFERENCES offices(id),
  word text NOT NULL,
  letters text NOT NULL,
  PRIMARY KEY (office_id, word)
);
CREATE INDEX name_lexicon_word_trgm ON name_lexicon USING gin (word gin_trgm_ops);
CREATE INDEX name_lexicon_letters ON name_lexicon (office_id, letters);
CREATE INDEX name_lexicon_prefix ON name_lexicon (office_id, word text_pattern_ops);

-- Statement-level, so a bulk insert of thousands of records adds its words in one go
-- (sorted, so concurrent loads take row locks in the same order).
CREATE FUNCTION name_lexicon_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO name_lexicon (office_id, word, letters)
  SELECT office_id, word, public.civitas_sorted_letters(word)
  FROM (SELECT DISTINCT n.office_id, w AS word FROM new_rows n, unnest(n.name_words) AS w) words
  ORDER BY office_id, word
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER constituents_lexicon_insert AFTER INSERT ON constituents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_lexicon_add();
CREATE TRIGGER constituents_lexicon_update AFTER UPDATE ON constituents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_lexicon_add();

INSERT INTO name_lexicon (office_id, word, letters)
SELECT office_id, word, public.civitas_sorted_letters(word)
FROM (SELECT DISTINCT office_id, unnest(name_words) AS word FROM constituents) words
ON CONFLICT DO NOTHING;
