/**
 * The shape of a batch job (SPEC §6), where the domain can use it: columns, rows, periods and the
 * definition a job module in jobs/ exports. `C` is the context a job runs in (jobs/types.ts binds it
 * to JobContext: the database, the clock's "now", the settings, the zone); the domain never needs it.
 */
import type { Day } from '../time.js';
import type { JobName } from '../settings.js';

/** How often a job reports (the run key is D, the ISO week before D's, or the month before D's). */
export type Cadence = 'daily' | 'weekly' | 'monthly';

/**
 * How the CSV writer formats a cell:
 * text — guarded against formula injection; money — integer cents → yuan, 2 decimals ("0.00" for null);
 * int — whole number; decimal1/decimal2 — a number with that many decimals (already rounded by the job);
 * date — `YYYY-MM-DD` as given; datetime — a stored UTC instant → shop-local `YYYY-MM-DD HH:mm`.
 * null/undefined is an empty cell (money: 0.00).
 */
export type ColumnType = 'text' | 'money' | 'int' | 'decimal1' | 'decimal2' | 'date' | 'datetime';

export interface Column {
  key: string;
  /** Header labels for csv.headers = labels, by locale. */
  zh: string;
  en: string;
  type: ColumnType;
  /**
   * In a workbook, a text column whose values are figures formatted by the job (callback-stats'
   * value): written as a number cell, as shown. CSV ignores it.
   */
  sheet?: 'number';
}

/** One output row: column keys to raw values. Extra keys (e.g. `_subject`) are not written. */
export type Row = Record<string, string | number | null | undefined>;

/** What a job's `rows` yields: a row or a batch of rows. */
export type Rows = AsyncIterable<Row | readonly Row[]>;

export interface Period {
  /** `2026-W44` or `2026-10` */
  key: string;
  first: Day;
  last: Day;
}

export interface JobRun<C> {
  ctx: C;
  /** The run date D (shop-local). */
  day: Day;
  /** For weekly/monthly jobs: the period reported (the one before D's, unless --week/--month). */
  period: Period | null;
}

/** A job module's definition. Its cadence is declared once, in the registry (jobs/index.ts `CADENCE`). */
export interface JobDefinition<C> {
  name: JobName;
  columns: readonly Column[];
  /**
   * Rows in output order, unless `orderKey` is given, one at a time or in batches: a list worked out
   * whole is yielded at once (a pass through an async generator costs ~1–3 µs a row in a process that
   * has just started). Stream from the database, a page at a time, where the list can be long.
   */
  rows(run: JobRun<C>): Rows;
  /**
   * For a job whose rows come in the order the database finds them: the rows are written in ascending
   * order of this key (compared as strings; rows with equal keys keep their order). The writer formats
   * each row as it comes, while SQLite is still reading on its own thread, and sorts the records at the
   * end, so the formatting overlaps the query instead of following it.
   */
  orderKey?(row: Row): string;
  /**
   * For jobs with a cooldown or replay (maintenance-due): the subject id each row names, recorded in
   * job_listings under (job, run_key).
   */
  subjectOf?(row: Row): number;
  /**
   * Calling lists (SPEC §13): the contact list the rows belong to and the contact-log subject a row
   * names (`vehicle:ID`, `booking:ID`, …); the runner fills the row's `last_contact` column.
   */
  contact?: { list: string; subjectOf(row: Row): string };
  /** Jobs that write no file (no-shows): do the work, return the row count. */
  execute?(run: JobRun<C>): Promise<number>;
}
