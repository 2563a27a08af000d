/**
 * Group schema 1 (SPEC §15, §16), as released: never changed; a change is a new entry of
 * GROUP_MIGRATIONS (src/db/group/schema.ts). Run by `pitstop group init` as the group's owner, with
 * {{stores}} and {{head_office}} replaced by the quoted role names (they carry the database's name).
 *
 * - pitstop.meta: schema_version, and compatible_from — the oldest group schema a pushing pitstop may
 *   know and still push (an additive upgrade leaves it; one that old pushers would break raises it).
 * - pitstop.stores: code, name and the PostgreSQL role of each store: a store is who current_user is.
 * - one table per pushed store table, keyed by (store, id), and pitstop.push_state (each store's
 *   watermark) and pitstop.tombstones (rows deleted or merged away in the store).
 * - Row-level security, forced (the owner too): a store's role reads and writes only rows whose store
 *   is its own; the head office role reads every row and writes none; the owner (who ran init) keeps all.
 */
export const GROUP_MIGRATION_1 = `
CREATE TABLE pitstop.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO pitstop.meta (key, value) VALUES ('compatible_from', '1');
CREATE TABLE pitstop.stores (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  role       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE pitstop.push_state (
  store        text PRIMARY KEY,
  phase        text NOT NULL CHECK (phase IN ('full', 'changes')),
  full_from    bigint NOT NULL DEFAULT 0,
  full_table   text,
  full_last_id bigint NOT NULL DEFAULT 0,
  full_sweep   boolean NOT NULL DEFAULT false,
  seq          bigint NOT NULL DEFAULT 0,
  rows_pushed  bigint NOT NULL DEFAULT 0,
  pushed_at    timestamptz,
  pushed_by    text,
  timezone     text
);
CREATE TABLE pitstop.tombstones (
  store      text NOT NULL,
  tbl        text NOT NULL,
  id         bigint NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store, tbl, id)
);
CREATE TABLE pitstop.customers (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  name text COLLATE "C",
  phone text COLLATE "C",
  kind text COLLATE "C",
  company text COLLATE "C",
  address text COLLATE "C",
  note text COLLATE "C",
  do_not_contact bigint,
  created_at text COLLATE "C",
  no_calls bigint,
  no_messages bigint,
  phone_bad_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.vehicles (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  customer_id bigint,
  plate text COLLATE "C",
  vin text COLLATE "C",
  make text COLLATE "C",
  model text COLLATE "C",
  color text COLLATE "C",
  year bigint,
  purchased_on text COLLATE "C",
  initial_km bigint,
  last_service_on text COLLATE "C",
  last_service_km bigint,
  interval_km bigint,
  interval_months bigint,
  active bigint,
  created_at text COLLATE "C",
  added_on text COLLATE "C",
  last_maintenance_at text COLLATE "C",
  last_maintenance_km bigint,
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.staff (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  name text COLLATE "C",
  role text COLLATE "C",
  active bigint,
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.bookings (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  vehicle_id bigint,
  customer_id bigint,
  scheduled_at text COLLATE "C",
  ends_at text COLLATE "C",
  minutes bigint,
  service text COLLATE "C",
  complaint text COLLATE "C",
  advisor_id bigint,
  source text COLLATE "C",
  estimate_cents bigint,
  parts_value_cents bigint,
  deposit_cents bigint,
  status text COLLATE "C",
  order_id bigint,
  cancel_reason text COLLATE "C",
  created_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.orders (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  number text COLLATE "C",
  vehicle_id bigint,
  customer_id bigint,
  booking_id bigint,
  category text COLLATE "C",
  status text COLLATE "C",
  opened_at text COLLATE "C",
  mileage_in bigint,
  fuel text COLLATE "C",
  belongings text COLLATE "C",
  damage text COLLATE "C",
  key_tag text COLLATE "C",
  complaint text COLLATE "C",
  advisor_id bigint,
  technician_id bigint,
  inspector_id bigint,
  promised_at text COLLATE "C",
  call_window text COLLATE "C",
  repeat_of_order_id bigint,
  estimate_cents bigint,
  discount_cents bigint,
  labor_cents bigint,
  parts_cents bigint,
  fees_cents bigint,
  total_cents bigint,
  paid_cents bigint,
  discount_by_id bigint,
  approved_at text COLLATE "C",
  started_at text COLLATE "C",
  ready_at text COLLATE "C",
  qc_failures bigint,
  road_test bigint,
  delivered_at text COLLATE "C",
  cancelled_at text COLLATE "C",
  cancel_reason text COLLATE "C",
  first_delivered_at text COLLATE "C",
  reopened_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.order_lines (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  order_id bigint,
  line_no bigint,
  kind text COLLATE "C",
  description text COLLATE "C",
  part_no text COLLATE "C",
  qty_milli bigint,
  hours_centi bigint,
  unit_price_cents bigint,
  amount_cents bigint,
  grade text COLLATE "C",
  customer_supplied bigint,
  status text COLLATE "C",
  additional bigint,
  decline_reason text COLLATE "C",
  approved_at text COLLATE "C",
  created_at text COLLATE "C",
  removed_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.payments (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  order_id bigint,
  amount_cents bigint,
  method text COLLATE "C",
  paid_at text COLLATE "C",
  reason text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.order_adjustments (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  order_id bigint,
  at text COLLATE "C",
  action text COLLATE "C",
  labor_cents bigint,
  parts_cents bigint,
  fees_cents bigint,
  discount_cents bigint,
  total_cents bigint,
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.deposit_moves (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  booking_id bigint,
  kind text COLLATE "C",
  amount_cents bigint,
  method text COLLATE "C",
  reason text COLLATE "C",
  staff_id bigint,
  at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.findings (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  vehicle_id bigint,
  order_id bigint,
  line_id bigint,
  description text COLLATE "C",
  status text COLLATE "C",
  resolved_order_id bigint,
  created_at text COLLATE "C",
  resolving_line_id bigint,
  resolved_at text COLLATE "C",
  severity text COLLATE "C",
  follow_up_on text COLLATE "C",
  reading_id bigint,
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.callbacks (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  order_id bigint,
  agent_id bigint,
  attempted_at text COLLATE "C",
  result text COLLATE "C",
  q1 bigint,
  q2 bigint,
  q3 bigint,
  q4 bigint,
  q5 bigint,
  reason text COLLATE "C",
  comment text COLLATE "C",
  suggestion text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.complaints (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  customer_id bigint,
  order_id bigint,
  category text COLLATE "C",
  description text COLLATE "C",
  status text COLLATE "C",
  opened_at text COLLATE "C",
  reply_by text COLLATE "C",
  resolved_at text COLLATE "C",
  resolution text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.contact_log (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  list text COLLATE "C",
  ref text COLLATE "C",
  subject text COLLATE "C",
  customer_id bigint,
  vehicle_id bigint,
  booking_id bigint,
  order_id bigint,
  result text COLLATE "C",
  later_at text COLLATE "C",
  note text COLLATE "C",
  agent text COLLATE "C",
  at text COLLATE "C",
  recorded_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.outbox (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  key text COLLATE "C",
  job text COLLATE "C",
  run_key text COLLATE "C",
  subject text COLLATE "C",
  customer_id bigint,
  to_phone text COLLATE "C",
  text text COLLATE "C",
  params text COLLATE "C",
  status text COLLATE "C",
  attempts bigint,
  next_at text COLLATE "C",
  last_error text COLLATE "C",
  reason text COLLATE "C",
  created_at text COLLATE "C",
  sent_at text COLLATE "C",
  PRIMARY KEY (store, id)
);
CREATE TABLE pitstop.job_runs (
  store text COLLATE "C" NOT NULL,
  id bigint NOT NULL,
  job text COLLATE "C",
  run_key text COLLATE "C",
  started_at text COLLATE "C",
  finished_at text COLLATE "C",
  status text COLLATE "C",
  rows bigint,
  file text COLLATE "C",
  error text COLLATE "C",
  PRIMARY KEY (store, id)
);
ALTER TABLE pitstop.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.customers FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.customers TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.customers FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.customers TO {{head_office}};
CREATE POLICY store_rows ON pitstop.customers TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.customers TO {{stores}};
ALTER TABLE pitstop.vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.vehicles FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.vehicles TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.vehicles FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.vehicles TO {{head_office}};
CREATE POLICY store_rows ON pitstop.vehicles TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.vehicles TO {{stores}};
ALTER TABLE pitstop.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.staff FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.staff TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.staff FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.staff TO {{head_office}};
CREATE POLICY store_rows ON pitstop.staff TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.staff TO {{stores}};
ALTER TABLE pitstop.bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.bookings TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.bookings FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.bookings TO {{head_office}};
CREATE POLICY store_rows ON pitstop.bookings TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.bookings TO {{stores}};
ALTER TABLE pitstop.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.orders FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.orders TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.orders FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.orders TO {{head_office}};
CREATE POLICY store_rows ON pitstop.orders TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.orders TO {{stores}};
ALTER TABLE pitstop.order_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.order_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.order_lines TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.order_lines FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.order_lines TO {{head_office}};
CREATE POLICY store_rows ON pitstop.order_lines TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.order_lines TO {{stores}};
ALTER TABLE pitstop.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.payments FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.payments TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.payments FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.payments TO {{head_office}};
CREATE POLICY store_rows ON pitstop.payments TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.payments TO {{stores}};
ALTER TABLE pitstop.order_adjustments ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.order_adjustments FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.order_adjustments TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.order_adjustments FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.order_adjustments TO {{head_office}};
CREATE POLICY store_rows ON pitstop.order_adjustments TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.order_adjustments TO {{stores}};
ALTER TABLE pitstop.deposit_moves ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.deposit_moves FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.deposit_moves TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.deposit_moves FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.deposit_moves TO {{head_office}};
CREATE POLICY store_rows ON pitstop.deposit_moves TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.deposit_moves TO {{stores}};
ALTER TABLE pitstop.findings ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.findings FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.findings TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.findings FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.findings TO {{head_office}};
CREATE POLICY store_rows ON pitstop.findings TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.findings TO {{stores}};
ALTER TABLE pitstop.callbacks ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.callbacks FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.callbacks TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.callbacks FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.callbacks TO {{head_office}};
CREATE POLICY store_rows ON pitstop.callbacks TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.callbacks TO {{stores}};
ALTER TABLE pitstop.complaints ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.complaints FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.complaints TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.complaints FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.complaints TO {{head_office}};
CREATE POLICY store_rows ON pitstop.complaints TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.complaints TO {{stores}};
ALTER TABLE pitstop.contact_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.contact_log FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.contact_log TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.contact_log FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.contact_log TO {{head_office}};
CREATE POLICY store_rows ON pitstop.contact_log TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.contact_log TO {{stores}};
ALTER TABLE pitstop.outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.outbox TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.outbox FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.outbox TO {{head_office}};
CREATE POLICY store_rows ON pitstop.outbox TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.outbox TO {{stores}};
ALTER TABLE pitstop.job_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.job_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.job_runs TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.job_runs FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.job_runs TO {{head_office}};
CREATE POLICY store_rows ON pitstop.job_runs TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.job_runs TO {{stores}};
ALTER TABLE pitstop.push_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.push_state FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.push_state TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.push_state FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.push_state TO {{head_office}};
CREATE POLICY store_rows ON pitstop.push_state TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.push_state TO {{stores}};
ALTER TABLE pitstop.tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.tombstones FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.tombstones TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.tombstones FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.tombstones TO {{head_office}};
CREATE POLICY store_rows ON pitstop.tombstones TO {{stores}} USING (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user)) WITH CHECK (store = (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user));
GRANT SELECT, INSERT, UPDATE, DELETE ON pitstop.tombstones TO {{stores}};
ALTER TABLE pitstop.stores ENABLE ROW LEVEL SECURITY;
ALTER TABLE pitstop.stores FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON pitstop.stores TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY head_office_reads ON pitstop.stores FOR SELECT TO {{head_office}} USING (true);
GRANT SELECT ON pitstop.stores TO {{head_office}};
CREATE POLICY store_own ON pitstop.stores FOR SELECT TO {{stores}} USING (role = current_user);
GRANT SELECT ON pitstop.stores TO {{stores}};
-- what the group reports read (src/db/group/reports.ts)
CREATE INDEX orders_delivered ON pitstop.orders (store, delivered_at);
CREATE INDEX orders_first_delivered ON pitstop.orders (store, first_delivered_at) WHERE first_delivered_at IS NOT NULL;
CREATE INDEX payments_order ON pitstop.payments (store, order_id);
CREATE INDEX payments_paid ON pitstop.payments (store, paid_at);
CREATE INDEX payments_refunds ON pitstop.payments (store, paid_at) WHERE amount_cents < 0;
CREATE INDEX orders_unpaid ON pitstop.orders (store, delivered_at) WHERE status = 'delivered' AND total_cents > paid_cents;
CREATE INDEX deposit_moves_at ON pitstop.deposit_moves (store, at);
CREATE INDEX order_adjustments_order ON pitstop.order_adjustments (store, order_id);
CREATE INDEX order_adjustments_at ON pitstop.order_adjustments (store, at);
CREATE INDEX callbacks_order ON pitstop.callbacks (store, order_id);
CREATE INDEX contact_log_list ON pitstop.contact_log (store, list, at);
CREATE INDEX bookings_customer ON pitstop.bookings (store, customer_id);
CREATE INDEX job_runs_job ON pitstop.job_runs (store, job, run_key);
GRANT SELECT ON pitstop.meta TO {{stores}}, {{head_office}};
`;
