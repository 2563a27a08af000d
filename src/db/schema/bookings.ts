/** Bookings (SPEC §5.1, §7). */
export const bookingsSchema = `
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
`;
