-- Clientele schema, version 9: imported transactions are written in import order, so a BRIN index
-- over (import_id, import_row) finds an import's rows — for undo and for the same file imported
-- again — at almost no cost per insert, where a btree slowed the transaction import by a fifth
-- (docs/benchmarks.md).
DROP INDEX transactions_import_idx;
CREATE INDEX transactions_import_brin ON transactions USING brin (import_id, import_row);
