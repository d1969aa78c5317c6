-- Clientele schema, version 11: what the transaction import's speed target needs back
-- (docs/benchmarks.md). Every write of a transaction or customer used to check a foreign key to
-- imports (a trigger call per row), and every purchase-summary update recomputed the name key
-- of the customer (three regular expressions per row) for an expression index.

-- Import records are never deleted, so the reference needs no trigger to stay valid.
ALTER TABLE transactions DROP CONSTRAINT transactions_import_id_fkey;
ALTER TABLE customers DROP CONSTRAINT customers_import_id_fkey;

-- Imported customers arrive in import order too: a BRIN index finds an import's rows (undo, the
-- same file imported again) at almost no cost per write.
DROP INDEX customers_import_idx;
CREATE INDEX customers_import_brin ON customers USING brin (import_id, import_row);

-- The name key is stored, set by a trigger only when the name is written.
ALTER TABLE customers ADD COLUMN name_key text;
UPDATE customers SET name_key = clientele_name_key(name);
DROP INDEX customers_name_key_idx;
CREATE INDEX customers_name_key_idx ON customers (name_key);
CREATE FUNCTION clientele_set_name_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.name_key := clientele_name_key(NEW.name);
  RETURN NEW;
END
$$;
CREATE TRIGGER customers_name_key BEFORE INSERT OR UPDATE OF name ON customers
  FOR EACH ROW EXECUTE FUNCTION clientele_set_name_key();
