-- CSV imports (issue 3, item 7): the file's character encoding (detected at upload from a
-- byte-order mark or by checking it is valid UTF-8, then the one chosen at start), when the
-- upload finished, and where the rows come from: an upload kept in import_chunks (which
-- the job reads, and can resume from), or a file read by `civitas import` on its own machine.
ALTER TABLE imports
  ADD COLUMN encoding text CHECK (encoding IN ('utf8', 'utf16le', 'utf16be', 'latin1', 'windows-1252')),
  ADD COLUMN uploaded_at timestamptz,
  ADD COLUMN source text NOT NULL DEFAULT 'upload' CHECK (source IN ('upload', 'cli'));

