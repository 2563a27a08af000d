/**
 * Migration 4 (SPEC §12, §16): vehicle inspection. Templates imported from CSV (the built-in 常规检查
 * lives in code, src/domain/inspection.ts); each reading keeps its colour and the thresholds it was
 * judged by, so a later template change never recolours history; photos are stored once under their
 * SHA-256 (attachments) and linked to the reading with the name they came with; findings gain a
 * severity, a follow-up day and the reading they came from.
 */
export const MIGRATION_4 = `
CREATE TABLE inspection_templates (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  imported_at TEXT NOT NULL
);
CREATE TABLE inspection_template_items (
  template_id     INTEGER NOT NULL REFERENCES inspection_templates (id),
  position        INTEGER NOT NULL,
  item            TEXT NOT NULL,
  item_group      TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('measure', 'pass_fail')),
  unit            TEXT,
  better          TEXT CHECK (better IN ('higher', 'lower')),
  yellow_at       REAL,
  red_at          REAL,
  min             REAL,
  max             REAL,
  wear_per_1000km REAL,
  PRIMARY KEY (template_id, item)
);

CREATE TABLE inspections (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  vehicle_id   INTEGER NOT NULL REFERENCES vehicles (id),
  template     TEXT NOT NULL,
  mileage      INTEGER NOT NULL,
  inspected_at TEXT NOT NULL
);
CREATE INDEX inspections_order ON inspections (order_id);
CREATE INDEX inspections_vehicle ON inspections (vehicle_id, inspected_at);

CREATE TABLE inspection_readings (
  id              INTEGER PRIMARY KEY,
  inspection_id   INTEGER NOT NULL REFERENCES inspections (id),
  item            TEXT NOT NULL,
  item_group      TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('measure', 'pass_fail')),
  unit            TEXT,
  value           REAL,
  passed          INTEGER,
  colour          TEXT NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
  note            TEXT,
  better          TEXT,
  yellow_at       REAL,
  red_at          REAL,
  wear_per_1000km REAL,
  UNIQUE (inspection_id, item)
);

CREATE TABLE attachments (
  sha256        TEXT PRIMARY KEY,
  size          INTEGER NOT NULL,
  type          TEXT NOT NULL,
  stored_at     TEXT NOT NULL
);
CREATE TABLE reading_photos (
  reading_id    INTEGER NOT NULL REFERENCES inspection_readings (id),
  sha256        TEXT NOT NULL REFERENCES attachments (sha256),
  original_name TEXT NOT NULL,
  PRIMARY KEY (reading_id, sha256)
);

ALTER TABLE findings ADD COLUMN severity TEXT CHECK (severity IN ('safety', 'advised'));
ALTER TABLE findings ADD COLUMN follow_up_on TEXT;
ALTER TABLE findings ADD COLUMN reading_id INTEGER REFERENCES inspection_readings (id);
CREATE INDEX findings_open ON findings (status, vehicle_id) WHERE status = 'open';
`;
