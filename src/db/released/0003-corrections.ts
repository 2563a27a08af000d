/**
 * Migration 3 (SPEC §10, §16): corrections. Refunds are negative payments, so `payments` is rebuilt
 * without its `> 0` check (nothing references it, so a plain copy-and-rename is safe); a removed line
 * keeps its row (`removed_at`); an order remembers its first delivery (revenue counts it there) and
 * every correction that changed a delivered order's money (`order_adjustments`, the revenue list's
 * `adjustment` rows); deposits keep their refunds and forfeits; a merged customer's phone stays an alias.
 */
export const MIGRATION_3 = `
CREATE TABLE payments_v3 (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
  method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'wechat', 'alipay', 'transfer', 'warranty', 'deposit')),
  paid_at      TEXT NOT NULL,
  reason       TEXT
);
INSERT INTO payments_v3 (id, order_id, amount_cents, method, paid_at) SELECT id, order_id, amount_cents, method, paid_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v3 RENAME TO payments;
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_paid ON payments (paid_at);

ALTER TABLE order_lines ADD COLUMN removed_at TEXT;

ALTER TABLE orders ADD COLUMN first_delivered_at TEXT;
UPDATE orders SET first_delivered_at = delivered_at WHERE delivered_at IS NOT NULL;
ALTER TABLE orders ADD COLUMN reopened_at TEXT;
CREATE INDEX orders_first_delivered ON orders (first_delivered_at) WHERE first_delivered_at IS NOT NULL;

CREATE TABLE order_adjustments (
  id             INTEGER PRIMARY KEY,
  order_id       INTEGER NOT NULL REFERENCES orders (id),
  at             TEXT NOT NULL,
  action         TEXT NOT NULL,
  labor_cents    INTEGER NOT NULL DEFAULT 0,
  parts_cents    INTEGER NOT NULL DEFAULT 0,
  fees_cents     INTEGER NOT NULL DEFAULT 0,
  discount_cents INTEGER NOT NULL DEFAULT 0,
  total_cents    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_adjustments_at ON order_adjustments (at);
CREATE INDEX order_adjustments_order ON order_adjustments (order_id, at);

CREATE TABLE deposit_moves (
  id           INTEGER PRIMARY KEY,
  booking_id   INTEGER NOT NULL REFERENCES bookings (id),
  kind         TEXT NOT NULL CHECK (kind IN ('refund', 'forfeit')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  method       TEXT,
  reason       TEXT,
  staff_id     INTEGER REFERENCES staff (id),
  at           TEXT NOT NULL
);
CREATE INDEX deposit_moves_booking ON deposit_moves (booking_id);
CREATE INDEX deposit_moves_at ON deposit_moves (at);
-- the credits list: deposits of bookings that will not check in, and orders that took more than their total
CREATE INDEX bookings_deposit_owed ON bookings (scheduled_at) WHERE deposit_cents > 0 AND status IN ('cancelled', 'no_show');
CREATE INDEX orders_overpaid ON orders (opened_at) WHERE paid_cents > total_cents AND status IN ('delivered', 'cancelled');

CREATE TABLE customer_aliases (
  phone       TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  name        TEXT,
  merged_at   TEXT NOT NULL
);
CREATE INDEX customer_aliases_customer ON customer_aliases (customer_id);
`;
