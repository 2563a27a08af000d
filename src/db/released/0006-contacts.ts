/**
 * Migration 6 (SPEC §13, §16): reaching the customer. Consent per channel (`no_calls`, `no_messages`;
 * `do_not_contact` stays and means both are refused, for outside SQL tools), a flag on a phone found
 * to be wrong, and the contact log: one row per call made from a list, with its outcome.
 * `subject` names the list row's subject (`booking:ID`, `vehicle:ID`, `customer:ID`, `order:NUMBER`).
 */
export const MIGRATION_6 = `
ALTER TABLE customers ADD COLUMN no_calls INTEGER NOT NULL DEFAULT 0 CHECK (no_calls IN (0, 1));
ALTER TABLE customers ADD COLUMN no_messages INTEGER NOT NULL DEFAULT 0 CHECK (no_messages IN (0, 1));
ALTER TABLE customers ADD COLUMN phone_bad_at TEXT;
UPDATE customers SET no_calls = 1, no_messages = 1 WHERE do_not_contact = 1;

CREATE TABLE contact_log (
  id          INTEGER PRIMARY KEY,
  list        TEXT NOT NULL CHECK (list IN ('appointment-reminders', 'maintenance-due', 'lapsed-customers', 'declined-work', 'arrears', 'credits')),
  ref         TEXT NOT NULL,
  subject     TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  vehicle_id  INTEGER REFERENCES vehicles (id),
  booking_id  INTEGER REFERENCES bookings (id),
  order_id    INTEGER REFERENCES orders (id),
  result      TEXT NOT NULL CHECK (result IN ('reached', 'booked', 'declined', 'no_answer', 'later', 'wrong_number', 'refused')),
  later_at    TEXT,
  note        TEXT,
  agent       TEXT,
  at          TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX contact_log_subject ON contact_log (list, subject, at);
CREATE INDEX contact_log_customer ON contact_log (customer_id, at);
`;
