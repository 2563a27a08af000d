/**
 * Migration 8 (SPEC §15, §16): the change marker of `pitstop group push`. Every insert, update and
 * delete of a pushed table, by pitstop or by outside SQL, appends (table, row id) to group_changes
 * through a trigger, once the store is in a group (the setting group.store is set): before that
 * nothing is recorded, and the first push sends the tables whole. seq only grows (AUTOINCREMENT: a
 * pruned log never hands out a number again), so a push resumes after the last seq the group holds.
 */
export const MIGRATION_8 = `
CREATE TABLE group_changes (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl    TEXT NOT NULL,
  row_id INTEGER NOT NULL
);
CREATE TRIGGER group_customers_ins AFTER INSERT ON customers WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('customers', NEW.id); END;
CREATE TRIGGER group_customers_upd AFTER UPDATE ON customers WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'customers', NEW.id UNION ALL SELECT 'customers', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_customers_del AFTER DELETE ON customers WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('customers', OLD.id); END;
CREATE TRIGGER group_vehicles_ins AFTER INSERT ON vehicles WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('vehicles', NEW.id); END;
CREATE TRIGGER group_vehicles_upd AFTER UPDATE ON vehicles WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'vehicles', NEW.id UNION ALL SELECT 'vehicles', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_vehicles_del AFTER DELETE ON vehicles WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('vehicles', OLD.id); END;
CREATE TRIGGER group_staff_ins AFTER INSERT ON staff WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('staff', NEW.id); END;
CREATE TRIGGER group_staff_upd AFTER UPDATE ON staff WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'staff', NEW.id UNION ALL SELECT 'staff', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_staff_del AFTER DELETE ON staff WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('staff', OLD.id); END;
CREATE TRIGGER group_bookings_ins AFTER INSERT ON bookings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('bookings', NEW.id); END;
CREATE TRIGGER group_bookings_upd AFTER UPDATE ON bookings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'bookings', NEW.id UNION ALL SELECT 'bookings', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_bookings_del AFTER DELETE ON bookings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('bookings', OLD.id); END;
CREATE TRIGGER group_orders_ins AFTER INSERT ON orders WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('orders', NEW.id); END;
CREATE TRIGGER group_orders_upd AFTER UPDATE ON orders WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'orders', NEW.id UNION ALL SELECT 'orders', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_orders_del AFTER DELETE ON orders WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('orders', OLD.id); END;
CREATE TRIGGER group_order_lines_ins AFTER INSERT ON order_lines WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('order_lines', NEW.id); END;
CREATE TRIGGER group_order_lines_upd AFTER UPDATE ON order_lines WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'order_lines', NEW.id UNION ALL SELECT 'order_lines', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_order_lines_del AFTER DELETE ON order_lines WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('order_lines', OLD.id); END;
CREATE TRIGGER group_payments_ins AFTER INSERT ON payments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('payments', NEW.id); END;
CREATE TRIGGER group_payments_upd AFTER UPDATE ON payments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'payments', NEW.id UNION ALL SELECT 'payments', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_payments_del AFTER DELETE ON payments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('payments', OLD.id); END;
CREATE TRIGGER group_order_adjustments_ins AFTER INSERT ON order_adjustments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('order_adjustments', NEW.id); END;
CREATE TRIGGER group_order_adjustments_upd AFTER UPDATE ON order_adjustments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'order_adjustments', NEW.id UNION ALL SELECT 'order_adjustments', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_order_adjustments_del AFTER DELETE ON order_adjustments WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('order_adjustments', OLD.id); END;
CREATE TRIGGER group_deposit_moves_ins AFTER INSERT ON deposit_moves WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('deposit_moves', NEW.id); END;
CREATE TRIGGER group_deposit_moves_upd AFTER UPDATE ON deposit_moves WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'deposit_moves', NEW.id UNION ALL SELECT 'deposit_moves', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_deposit_moves_del AFTER DELETE ON deposit_moves WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('deposit_moves', OLD.id); END;
CREATE TRIGGER group_findings_ins AFTER INSERT ON findings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('findings', NEW.id); END;
CREATE TRIGGER group_findings_upd AFTER UPDATE ON findings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'findings', NEW.id UNION ALL SELECT 'findings', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_findings_del AFTER DELETE ON findings WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('findings', OLD.id); END;
CREATE TRIGGER group_callbacks_ins AFTER INSERT ON callbacks WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('callbacks', NEW.id); END;
CREATE TRIGGER group_callbacks_upd AFTER UPDATE ON callbacks WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'callbacks', NEW.id UNION ALL SELECT 'callbacks', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_callbacks_del AFTER DELETE ON callbacks WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('callbacks', OLD.id); END;
CREATE TRIGGER group_complaints_ins AFTER INSERT ON complaints WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('complaints', NEW.id); END;
CREATE TRIGGER group_complaints_upd AFTER UPDATE ON complaints WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'complaints', NEW.id UNION ALL SELECT 'complaints', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_complaints_del AFTER DELETE ON complaints WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('complaints', OLD.id); END;
CREATE TRIGGER group_contact_log_ins AFTER INSERT ON contact_log WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('contact_log', NEW.id); END;
CREATE TRIGGER group_contact_log_upd AFTER UPDATE ON contact_log WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'contact_log', NEW.id UNION ALL SELECT 'contact_log', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_contact_log_del AFTER DELETE ON contact_log WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('contact_log', OLD.id); END;
CREATE TRIGGER group_outbox_ins AFTER INSERT ON outbox WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('outbox', NEW.id); END;
CREATE TRIGGER group_outbox_upd AFTER UPDATE ON outbox WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'outbox', NEW.id UNION ALL SELECT 'outbox', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_outbox_del AFTER DELETE ON outbox WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('outbox', OLD.id); END;
CREATE TRIGGER group_job_runs_ins AFTER INSERT ON job_runs WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('job_runs', NEW.id); END;
CREATE TRIGGER group_job_runs_upd AFTER UPDATE ON job_runs WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) SELECT 'job_runs', NEW.id UNION ALL SELECT 'job_runs', OLD.id WHERE OLD.id <> NEW.id; END;
CREATE TRIGGER group_job_runs_del AFTER DELETE ON job_runs WHEN coalesce((SELECT value FROM settings WHERE key = 'group.store'), '') <> ''
  BEGIN INSERT INTO group_changes (tbl, row_id) VALUES ('job_runs', OLD.id); END;
`;
