-- Clientele schema, version 7: what the customer records and the timeline need beyond version 6 —
-- one index per timeline source in the order the timeline reads it, communications imported from
-- spreadsheets (so an import can be recognised again and undone), and the marker of a credit status
-- that overdue instalments set.

-- The timeline reads every source of a customer newest first, one short index range per source
-- (transactions already have it: their primary key is (customer_id, occurred_on, id); communications,
-- feedback and service records got theirs in version 6).
CREATE INDEX projects_customer_created_idx ON projects (customer_id, created_at, id);
CREATE INDEX project_instalments_customer_due_idx ON project_instalments (customer_id, due_on, id);
CREATE INDEX project_payments_customer_received_idx ON project_payments (customer_id, received_on, id);
CREATE INDEX tier_history_customer_idx ON tier_history (customer_id, effective_on, id);
-- A follow-up stands on the timeline at its completion, or at its due time while it is planned.
CREATE INDEX followups_customer_time_idx ON followups (customer_id, (coalesce(completed_at, due_at)), id);

-- Communications imported from a file, with the file's row: the same file imported again is
-- recognised, and the import can be undone.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
  CHECK (kind IN ('customers', 'transactions', 'communications'));
ALTER TABLE communications ADD COLUMN import_id bigint REFERENCES imports (id) ON DELETE SET NULL;
ALTER TABLE communications ADD COLUMN import_row integer;
CREATE INDEX communications_import_idx ON communications (import_id, import_row) WHERE import_id IS NOT NULL;

-- True while credit_status is 'overdue' because an instalment is overdue (set by the application in
-- the same transaction as the payment or instalment write, or by the daily refresh). Only such a
-- status goes back to 'good' when the instalments are settled; a status people chose stays.
ALTER TABLE customers ADD COLUMN credit_overdue_auto boolean NOT NULL DEFAULT false;

-- Someone changing the credit status by hand (form, import, merge) takes it over: the marker is
-- cleared, so settling the instalments later does not overwrite their choice.
CREATE FUNCTION clientele_credit_status_taken_over() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.credit_overdue_auto := false;
  RETURN NEW;
END
$$;
CREATE TRIGGER customers_credit_status_taken_over
  BEFORE UPDATE OF credit_status ON customers
  FOR EACH ROW
  WHEN (OLD.credit_overdue_auto AND NEW.credit_overdue_auto
        AND NEW.credit_status IS DISTINCT FROM OLD.credit_status)
  EXECUTE FUNCTION clientele_credit_status_taken_over();
