-- 0029: the corrections in force by their corrected plate's text (issue 20).
--
-- A broad pattern's first page from the recent reads' postings (0028) counts the pattern's
-- plates and does not read them, so it finds the corrections that name one of them by the
-- corrected plate's text (storage/corrections.py ``in_force_matching``). Through the plate-id
-- index each correction's row was read to test its text: 10,000 corrections in force made a
-- 10M wildcard page 1.8x slower. This index holds the text: a pattern with a literal start
-- reads only its range, any other pattern tests the index's entries without reading a row.
CREATE INDEX read_corrections_text ON read_corrections(plate)
    WHERE ended_ms IS NULL AND plate IS NOT NULL;
