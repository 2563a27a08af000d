/**
 * Migration 1 (released): the documented schema of SPEC §7, frozen as the literal SQL the first release
 * ran. It never changes: a schema change is a new migration (src/db/migrations.ts), and
 * test/integration/migrations-frozen.test.ts holds every released migration to its checksum.
 */
export const MIGRATION_1 = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT,
  details   TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE customers (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  phone          TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL DEFAULT 'private' CHECK (kind IN ('private', 'fleet')),
  company        TEXT,
  address        TEXT,
  note           TEXT,
  do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
  created_at     TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name);

CREATE TABLE vehicles (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers (id),
  plate           TEXT NOT NULL UNIQUE,
  vin             TEXT UNIQUE,
  make            TEXT,
  model           TEXT,
  color           TEXT,
  year            INTEGER,
  purchased_on    TEXT,
  initial_km      INTEGER,
  last_service_on TEXT,
  last_service_km INTEGER,
  interval_km     INTEGER,
  interval_months INTEGER,
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at      TEXT NOT NULL,
  -- shop-local day the vehicle was added: the date of its first odometer reading (SPEC §6.3)
  added_on        TEXT NOT NULL,
  -- derived, for maintenance-due (SPEC §6.3): delivered_at and mileage_in of the vehicle's latest
  -- delivered maintenance order (latest delivered_at, then highest id), NULL without one. Kept by the
  -- triggers orders_last_maintenance_* (schema/orders.ts) on every write to orders; doctor checks it.
  last_maintenance_at TEXT,
  last_maintenance_km INTEGER
);
CREATE INDEX vehicles_customer ON vehicles (customer_id);
-- the longest own service interval (maintenance-due bounds its candidates by it)
CREATE INDEX vehicles_interval_months ON vehicles (interval_months) WHERE interval_months IS NOT NULL;

CREATE TABLE staff (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE,
  role   TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE bookings (
  id                INTEGER PRIMARY KEY,
  vehicle_id        INTEGER NOT NULL REFERENCES vehicles (id),
  customer_id       INTEGER NOT NULL REFERENCES customers (id),
  scheduled_at      TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  minutes           INTEGER NOT NULL CHECK (minutes > 0),
  service           TEXT,
  complaint         TEXT,
  advisor_id        INTEGER REFERENCES staff (id),
  source            TEXT NOT NULL DEFAULT 'phone',
  estimate_cents    INTEGER,
  parts_value_cents INTEGER NOT NULL DEFAULT 0,
  deposit_cents     INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked', 'confirmed', 'arrived', 'cancelled', 'no_show')),
  order_id          INTEGER REFERENCES orders (id),
  cancel_reason     TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX bookings_scheduled ON bookings (scheduled_at);
CREATE INDEX bookings_vehicle ON bookings (vehicle_id, scheduled_at);
CREATE INDEX bookings_customer ON bookings (customer_id, scheduled_at);
-- capacity checks, reminders and the no-show job only look at active bookings
CREATE INDEX bookings_active ON bookings (scheduled_at) WHERE status IN ('booked', 'confirmed');

CREATE TABLE orders (
  id                 INTEGER PRIMARY KEY,
  number             TEXT NOT NULL UNIQUE,
  vehicle_id         INTEGER NOT NULL REFERENCES vehicles (id),
  customer_id        INTEGER NOT NULL REFERENCES customers (id),
  booking_id         INTEGER REFERENCES bookings (id),
  category           TEXT NOT NULL DEFAULT 'repair'
                     CHECK (category IN ('maintenance', 'repair', 'accident', 'warranty', 'inspection', 'other')),
  status             TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'approved', 'in_progress', 'ready', 'delivered', 'cancelled')),
  opened_at          TEXT NOT NULL,
  mileage_in         INTEGER NOT NULL,
  fuel               TEXT,
  belongings         TEXT,
  damage             TEXT,
  key_tag            TEXT,
  complaint          TEXT,
  advisor_id         INTEGER REFERENCES staff (id),
  technician_id      INTEGER REFERENCES staff (id),
  inspector_id       INTEGER REFERENCES staff (id),
  promised_at        TEXT,
  call_window        TEXT,
  repeat_of_order_id INTEGER REFERENCES orders (id),
  estimate_cents     INTEGER,
  discount_cents     INTEGER NOT NULL DEFAULT 0,
  -- totals of approved lines and payments, kept by refreshOrderTotals() (src/db/orders.ts)
  labor_cents        INTEGER NOT NULL DEFAULT 0,
  parts_cents        INTEGER NOT NULL DEFAULT 0,
  fees_cents         INTEGER NOT NULL DEFAULT 0,
  total_cents        INTEGER NOT NULL DEFAULT 0,
  paid_cents         INTEGER NOT NULL DEFAULT 0,
  discount_by_id     INTEGER REFERENCES staff (id),
  approved_at        TEXT,
  started_at         TEXT,
  ready_at           TEXT,
  qc_failures        INTEGER NOT NULL DEFAULT 0,
  road_test          INTEGER NOT NULL DEFAULT 0,
  delivered_at       TEXT,
  cancelled_at       TEXT,
  cancel_reason      TEXT
);
CREATE INDEX orders_customer ON orders (customer_id, opened_at);
CREATE INDEX orders_opened ON orders (opened_at);
CREATE INDEX orders_delivered ON orders (delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX orders_status ON orders (status) WHERE status NOT IN ('delivered', 'cancelled');
-- order list --unpaid (arrears): delivered with a balance
CREATE INDEX orders_unpaid ON orders (opened_at) WHERE status = 'delivered' AND total_cents > paid_cents;

CREATE TABLE order_lines (
  id                INTEGER PRIMARY KEY,
  order_id          INTEGER NOT NULL REFERENCES orders (id),
  line_no           INTEGER NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('labor', 'part', 'fee')),
  description       TEXT NOT NULL,
  part_no           TEXT,
  qty_milli         INTEGER,
  hours_centi       INTEGER,
  unit_price_cents  INTEGER NOT NULL DEFAULT 0,
  amount_cents      INTEGER NOT NULL DEFAULT 0,
  grade             TEXT CHECK (grade IN ('oem', 'aftermarket', 'used')),
  customer_supplied INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'declined')),
  additional        INTEGER NOT NULL DEFAULT 0,
  decline_reason    TEXT,
  -- when the customer approved the line: lines approved after the order's first approval are not in the estimate
  approved_at       TEXT,
  created_at        TEXT NOT NULL,
  UNIQUE (order_id, line_no)
);

CREATE TABLE findings (
  id                INTEGER PRIMARY KEY,
  vehicle_id        INTEGER NOT NULL REFERENCES vehicles (id),
  order_id          INTEGER NOT NULL REFERENCES orders (id),
  line_id           INTEGER REFERENCES order_lines (id),
  description       TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_order_id INTEGER REFERENCES orders (id),
  created_at        TEXT NOT NULL,
  -- the line of a later order that fixes it (order labor/part/fee --resolves); resolved when that order is delivered
  resolving_line_id INTEGER REFERENCES order_lines (id),
  resolved_at       TEXT
);
CREATE INDEX findings_vehicle ON findings (vehicle_id, status);
CREATE INDEX findings_order ON findings (order_id);
CREATE INDEX findings_resolving ON findings (resolving_line_id) WHERE resolving_line_id IS NOT NULL;

CREATE TABLE payments (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'wechat', 'alipay', 'transfer', 'warranty', 'deposit')),
  paid_at      TEXT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_paid ON payments (paid_at);

-- the timeline of an order: opened, approved, started, qc_fail, qc_pass, delivered, cancelled…
CREATE TABLE order_events (
  id       INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id),
  at       TEXT NOT NULL,
  event    TEXT NOT NULL,
  staff_id INTEGER REFERENCES staff (id),
  details  TEXT
);
CREATE INDEX order_events_order ON order_events (order_id, at);
-- a vehicle's delivered maintenance orders, latest last (vehicles.last_maintenance_*, vehicle show)
CREATE INDEX orders_vehicle_maintenance ON orders (vehicle_id, delivered_at) WHERE category = 'maintenance' AND status = 'delivered';
-- vehicles.last_maintenance_at/_km follow the orders: a new delivered maintenance order that is the
-- latest replaces them (ids grow with insertion, so on a tie the new one has the higher id); any other
-- change to, or deletion of, such an order recomputes them from the vehicle's orders.
CREATE TRIGGER orders_last_maintenance_insert AFTER INSERT ON orders
WHEN NEW.category = 'maintenance' AND NEW.status = 'delivered' AND NEW.delivered_at IS NOT NULL
BEGIN
  UPDATE vehicles SET last_maintenance_at = NEW.delivered_at, last_maintenance_km = NEW.mileage_in
   WHERE id = NEW.vehicle_id AND (last_maintenance_at IS NULL OR last_maintenance_at <= NEW.delivered_at);
END;
CREATE TRIGGER orders_last_maintenance_update AFTER UPDATE OF vehicle_id, category, status, delivered_at, mileage_in ON orders
WHEN (NEW.category = 'maintenance' AND NEW.status = 'delivered') OR (OLD.category = 'maintenance' AND OLD.status = 'delivered')
BEGIN
  UPDATE vehicles SET (last_maintenance_at, last_maintenance_km) = (
         SELECT o.delivered_at, o.mileage_in FROM orders o
          WHERE o.vehicle_id = vehicles.id AND o.category = 'maintenance' AND o.status = 'delivered' AND o.delivered_at IS NOT NULL
          ORDER BY o.delivered_at DESC, o.id DESC LIMIT 1)
   WHERE id IN (NEW.vehicle_id, OLD.vehicle_id);
END;
CREATE TRIGGER orders_last_maintenance_delete AFTER DELETE ON orders
WHEN OLD.category = 'maintenance' AND OLD.status = 'delivered'
BEGIN
  UPDATE vehicles SET (last_maintenance_at, last_maintenance_km) = (
         SELECT o.delivered_at, o.mileage_in FROM orders o
          WHERE o.vehicle_id = vehicles.id AND o.category = 'maintenance' AND o.status = 'delivered' AND o.delivered_at IS NOT NULL
          ORDER BY o.delivered_at DESC, o.id DESC LIMIT 1)
   WHERE id = OLD.vehicle_id;
END;
CREATE INDEX orders_vehicle_readings ON orders (vehicle_id, opened_at, status, mileage_in);

CREATE TABLE callbacks (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  agent_id     INTEGER REFERENCES staff (id),
  attempted_at TEXT NOT NULL,
  result       TEXT NOT NULL CHECK (result IN ('reached', 'no_answer', 'later', 'refused', 'wrong_number')),
  q1 INTEGER CHECK (q1 BETWEEN 1 AND 5),
  q2 INTEGER CHECK (q2 BETWEEN 1 AND 5),
  q3 INTEGER CHECK (q3 BETWEEN 1 AND 5),
  q4 INTEGER CHECK (q4 BETWEEN 1 AND 5),
  q5 INTEGER CHECK (q5 BETWEEN 1 AND 5),
  reason       TEXT,
  comment      TEXT,
  suggestion   TEXT
);
CREATE INDEX callbacks_order ON callbacks (order_id, attempted_at);
CREATE INDEX callbacks_attempted ON callbacks (attempted_at);

CREATE TABLE complaints (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  order_id    INTEGER REFERENCES orders (id),
  category    TEXT,
  description TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  opened_at   TEXT NOT NULL,
  reply_by    TEXT NOT NULL,
  resolved_at TEXT,
  resolution  TEXT
);
CREATE INDEX complaints_customer ON complaints (customer_id);
CREATE INDEX complaints_order ON complaints (order_id);
CREATE INDEX complaints_open ON complaints (reply_by) WHERE status = 'open';

CREATE TABLE job_runs (
  id          INTEGER PRIMARY KEY,
  job         TEXT NOT NULL,
  run_key     TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  rows        INTEGER,
  file        TEXT,
  error       TEXT
);
CREATE INDEX job_runs_job ON job_runs (job, run_key);
CREATE INDEX job_runs_started ON job_runs (job, started_at);

CREATE TABLE job_listings (
  job        TEXT NOT NULL,
  run_key    TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  PRIMARY KEY (job, run_key, subject_id)
) WITHOUT ROWID;
CREATE INDEX job_listings_subject ON job_listings (job, subject_id, run_key);
`;
