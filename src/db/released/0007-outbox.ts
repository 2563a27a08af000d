/**
 * Migration 7 (SPEC §13, §16): the message outbox and its send log. One message per list row: its
 * `key` (job + run key + the row's subject) is unique, so a re-run queues nothing new and a message is
 * never queued twice. A message being sent is `sending` with the process that claimed it and a lease;
 * a crash leaves it there, and the next `outbox send` resends it with the same key.
 */
export const MIGRATION_7 = `
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  job         TEXT NOT NULL,
  run_key     TEXT NOT NULL,
  subject     TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  to_phone    TEXT NOT NULL,
  text        TEXT NOT NULL,
  params      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sending', 'sent', 'failed', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     TEXT NOT NULL,
  claimed_by  INTEGER,
  lease_until TEXT,
  last_error  TEXT,
  reason      TEXT,
  created_at  TEXT NOT NULL,
  sent_at     TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE TABLE outbox_log (
  id        INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox (id),
  attempt   INTEGER NOT NULL,
  at        TEXT NOT NULL,
  outcome   TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed', 'cancelled', 'held')),
  detail    TEXT
);
CREATE INDEX outbox_log_sent ON outbox_log (outcome, at);
`;
