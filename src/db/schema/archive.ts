/** Settings, audit log, customers, vehicles, staff (SPEC §7). */
export const archiveSchema = `
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
`;
