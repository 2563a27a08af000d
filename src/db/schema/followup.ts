/** Follow-up callbacks and complaints (SPEC §5.3, §7). */
export const followupSchema = `
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
`;
