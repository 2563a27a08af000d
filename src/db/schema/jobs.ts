/** The batch-job ledger and who each list named (SPEC §6, §7). */
export const jobsSchema = `
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
