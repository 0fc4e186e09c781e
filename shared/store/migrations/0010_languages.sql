-- The admin's language (issue 11). An import remembers the language it was started in
-- (from accept-language or the token's locale claim): its failure workbook is written in
-- it. The workbook's rows are kept as codes + parameters beside it (`rows`: the headers and
-- each rejected row's cells and problems, shared.rejected_rows), so a download in another
-- language writes the workbook again in that one. Imports from before keep English.
ALTER TABLE imports ADD COLUMN language text NOT NULL DEFAULT 'en';
ALTER TABLE failure_workbooks
    ADD COLUMN language text NOT NULL DEFAULT 'en',
    ADD COLUMN rows jsonb;
