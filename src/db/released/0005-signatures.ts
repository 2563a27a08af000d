/**
 * Migration 5 (SPEC §11, §16): sign-offs as records. Who signed what on a repair order, and when; the
 * paper stays in the folder, pitstop records that it exists. `signed_at` is when it was signed (an
 * `--at` back-fill), `recorded_at` when it was entered.
 */
export const MIGRATION_5 = `
CREATE TABLE signatures (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders (id),
  role        TEXT NOT NULL CHECK (role IN ('customer', 'advisor', 'technician', 'inspector')),
  name        TEXT,
  what        TEXT NOT NULL CHECK (what IN ('estimate', 'additional', 'declined', 'delivery')),
  signed_at   TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX signatures_order ON signatures (order_id, what, signed_at);
`;
