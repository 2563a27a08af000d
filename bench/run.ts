/**
 * `npm run bench` (SPEC §8): builds the large data set once (cached in bench/cache/), then measures each
 * batch job, `order show`, `customer show`, `vehicle show`, `booking slots`, `import customers` of
 * 100 000 rows and `pitstop --help` through the built binary: wall time and peak memory (median of N
 * runs), and for each job its core SQL alone in the sqlite3 shell, as a ratio. Writes a table to stdout
 * and bench/results.json.
 *
 *   npm run bench                     the large data set
 *   npm run bench -- --runs 5         runs per measurement (default 5)
 *   npm run bench -- --growth         jobs at 10% and 100% of the data set
 *   npm run bench -- --rebuild        build the data set again even when cached
 *   npm run bench -- --scale 0.01     measure on a fraction of the large data set (a quick check)
 *   npm run bench -- --only callbacks,import   only the tasks whose name holds one of these words
 *                                     (printed, not written to results.json)
 *
 * A command that does not exist yet is recorded as "not available", not a failure.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, Rng, mobile, personName } from '../fixtures/generator.js';
import { migrations } from '../src/db/migrations.js';
import { JOB_NAMES } from '../src/domain/settings.js';
import { addDays, parseLocalDateTime } from '../src/domain/time.js';
import { coreSql } from './core-sql.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'pitstop.js');
const CACHE = path.join(ROOT, 'bench', 'cache');
const RESULTS = path.join(ROOT, 'bench', 'results.json');
const TZ = 'Asia/Shanghai';
const DAY = '2026-11-20';
const NOW = `${DAY} 10:00`;
const SEED = 1;
const IMPORT_ROWS = 100_000;

const TARGETS = { jobMs: 1000, jobRatio: 2, jobPeakMb: 200, importRowsPerSecond: 50_000, helpMs: 150, streamedImportPeakMb: 300 };

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const RUNS = Math.max(1, Number(option('runs', '5')));
const SCALE = Math.min(1, Math.max(0.001, Number(option('scale', '1'))));
const ONLY = option('only', '').split(',').filter(Boolean);
/** Issue 13.13: a 290 MB spreadsheet of 1.5 M customers must import in flat memory (< 300 MB). */
const BIG_IMPORT_ROWS = Math.max(10_000, Math.round(1_500_000 * SCALE));

const chosen = (task: Task) => !ONLY.length || ONLY.some((word) => task.name.includes(word));

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'pitstop-bench-'));
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const SQLITE3 = ['/usr/bin/sqlite3', '/usr/local/bin/sqlite3'].find((p) => fs.existsSync(p)) ?? null;

// Without GNU time, a preloaded probe writes the child's peak RSS when it exits.
const PROBE = path.join(WORK, 'rss-probe.mjs');
fs.writeFileSync(PROBE, "import fs from 'node:fs';\nprocess.on('exit', () => { try { fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n");

const ENV = { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_NOW: NOW, PITSTOP_USER: 'bench' };

interface Run {
  ms: number;
  rssKb: number | null;
  code: number;
  stdout: string;
  stderr: string;
}

/** One run of the built CLI: wall time from spawn to exit, peak RSS of the process. */
function runCli(args: string[]): Run {
  return runNode(BIN, args);
}

function runNode(script: string, args: string[]): Run {
  const rssFile = path.join(WORK, 'rss.txt');
  fs.rmSync(rssFile, { force: true });
  const options = { encoding: 'utf8' as const, maxBuffer: 1 << 28, env: { ...ENV, BENCH_RSS_FILE: rssFile } };
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M', '-o', rssFile, process.execPath, script, ...args], options)
    : spawnSync(process.execPath, ['--import', `file://${PROBE}`, script, ...args], options);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKb: number | null = null;
  try {
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    rssKb = Number(lines[lines.length - 1]) || null;
  } catch {
    /* no figure */
  }
  return { ms, rssKb, code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** The sqlite3 shell running one statement with its output thrown away. */
function runSql(db: string, sql: string): { ms: number; ok: boolean; error: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(SQLITE3!, ['-readonly', '-bail', db], { input: `.output /dev/null\n${sql};\n`, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, ok: r.status === 0 && !r.stderr, error: String(r.stderr ?? '').trim() };
}

function sqlValue(db: string, sql: string): string {
  const r = spawnSync(SQLITE3 ?? 'sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  return String(r.stdout ?? '').trim().split('\n')[0] ?? '';
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ------------------------------------------------------------------------------------------ data set

interface Dataset {
  file: string;
  scale: number;
  key: string;
  reused: boolean;
  buildSeconds: number | null;
  buildPeakMb: number | null;
  counts: Record<string, number>;
}

function datasetKey(scale: number): string {
  const schema = crypto.createHash('sha256').update(migrations.join('\n')).digest('hex').slice(0, 16);
  return JSON.stringify({ generator: GENERATOR_VERSION, schema, seed: SEED, now: NOW, scale });
}

function ensureDataset(scale: number): Dataset {
  fs.mkdirSync(CACHE, { recursive: true });
  const name = scale === 1 ? 'large' : `large-${scale}`;
  const file = path.join(CACHE, `${name}.db`);
  const metaFile = path.join(CACHE, `${name}.json`);
  const key = datasetKey(scale);
  if (!flag('rebuild') && fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Dataset;
    if (meta.key === key) return { ...meta, file, reused: true };
  }
  process.stderr.write(`bench: building the ${scale === 1 ? 'large' : `${scale * 100}%`} data set into ${path.relative(ROOT, file)} (takes minutes)…\n`);
  fs.rmSync(metaFile, { force: true });
  let run: Run;
  if (scale === 1) {
    run = runCli(['--db', file, '--now', NOW, 'demo', '--size', 'large', '--seed', String(SEED), '--replace', '--json']);
  } else {
    run = runNode(path.join(ROOT, 'dist', 'bench', 'build.js'), ['--db', file, '--now', NOW, '--seed', String(SEED), '--scale', String(scale)]);
  }
  if (run.code !== 0) throw new Error(`building the data set failed (exit ${run.code}): ${run.stderr.trim()}`);
  const out = JSON.parse(run.stdout) as { counts: Record<string, number> };
  const meta: Dataset = {
    file, scale, key, reused: false, buildSeconds: +(run.ms / 1000).toFixed(1),
    buildPeakMb: run.rssKb ? +(run.rssKb / 1024).toFixed(1) : null, counts: out.counts,
  };
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

// ------------------------------------------------------------------------------------------ tasks

interface Task {
  name: string;
  /** The command's words, to check it exists (`… --help`). */
  command: string[];
  args: (db: string) => string[];
  job?: string;
  /** Before each run (not timed), e.g. a fresh empty database for the import. */
  prepare?: () => void;
  /** Rows processed, for a rate. */
  rows?: number;
  /** Measured once after the warm-up round (a long task whose figure is its memory). */
  once?: boolean;
  /** Peak memory target, MB. */
  peakMb?: number;
  /** A workbook run (SPEC §14): checked against this CSV task's wall time (at most 2×) and the memory target. */
  workbookOf?: string;
}

interface Result {
  name: string;
  status: 'ok' | 'failed' | 'not available';
  ms: number | null;
  peak_mb: number | null;
  core_sql_ms: number | null;
  /** wall / core SQL, as SPEC §8 words it: includes Node's start-up, which a 5 ms query cannot cover */
  ratio: number | null;
  /**
   * The same command on an empty database with the same schema and settings: what every run costs
   * whatever the data (Node and module start-up, opening the file, the ledger, creating and syncing
   * the CSV file).
   */
  floor_ms: number | null;
  /** (wall − floor) / core SQL: what the job adds for its data, against what SQLite needs for it. */
  net_ratio: number | null;
  /** The job run inside a process that is already up with the database open, as `pitstop cron` runs it. */
  warm_ms: number | null;
  rows_per_second?: number | null;
  output?: string;
  error?: string;
  checks: string[];
}

let startup: number | null = null;
/** Wall time of `pitstop --version`: Node and the command tree, no database. */
function startupMs(): number {
  if (startup === null) {
    runCli(['--version']);
    startup = median(Array.from({ length: Math.max(3, RUNS) }, () => runCli(['--version']).ms));
  }
  return startup;
}

/** An empty database with the data set's settings (the shop's zone, name, phone): the floor's database. */
function floorDatabase(source: string): string {
  const file = path.join(WORK, 'floor.db');
  if (!fs.existsSync(file)) {
    fs.copyFileSync(emptyDatabase(), file);
    const copy = `ATTACH '${source.replace(/'/g, "''")}' AS src; INSERT OR REPLACE INTO settings SELECT * FROM src.settings;`;
    const r = spawnSync(SQLITE3 ?? 'sqlite3', [file, copy], { encoding: 'utf8' });
    if (r.status !== 0 || r.stderr) throw new Error(`cannot copy the settings into the floor database: ${r.stderr}`);
  }
  return file;
}

/** Median time of the job inside a running process (bench/warm.ts). */
function warmMs(db: string, job: string): number | null {
  const r = runNode(path.join(ROOT, 'dist', 'bench', 'warm.js'), ['--db', db, '--now', NOW, '--job', job, '--date', DAY, '--out', path.join(WORK, 'exports'), '--runs', String(RUNS)]);
  if (r.code !== 0) return null;
  return median((JSON.parse(r.stdout) as { ms: number[] }).ms);
}

const available = new Map<string, boolean>();
function isAvailable(command: string[]): boolean {
  const key = command.join(' ');
  if (!available.has(key)) {
    const r = runCli([...command, '--help']);
    available.set(key, r.code === 0 && !/unknown command/i.test(r.stderr));
  }
  return available.get(key)!;
}

function importFile(): string {
  const file = path.join(WORK, 'customers-100k.csv');
  if (fs.existsSync(file)) return file;
  const rng = new Rng(SEED, 99);
  const used = new Set<string>();
  const lines = ['name,phone,kind,address,note'];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const note = i % 50 === 0 ? '老客户转介绍' : '';
    lines.push(`${personName(rng)},${mobile(rng, used)},private,上海市${['浦东新区', '徐汇区', '闵行区'][i % 3]}${rng.int(1, 999)}号,${note}`);
  }
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  return file;
}

/**
 * The big import of issue 13.13: rows as long as a real shop's export (address, company, a note), so
 * 1.5 M rows make a file of about 290 MB. Written a chunk at a time.
 */
function bigImportFile(): string {
  const file = path.join(WORK, `customers-${BIG_IMPORT_ROWS}.csv`);
  if (fs.existsSync(file)) return file;
  const rng = new Rng(SEED, 98);
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'name,phone,kind,company,address,note\r\n');
    let buf = '';
    for (let i = 0; i < BIG_IMPORT_ROWS; i++) {
      const phone = `1${3 + (i % 7)}${String(i).padStart(9, '0')}`;
      buf += `${personName(rng)},${phone},private,上海${['浦东', '徐汇', '闵行'][i % 3]}汽车服务有限公司,上海市${['浦东新区', '徐汇区', '闵行区'][i % 3]}${rng.int(1, 999)}弄${rng.int(1, 99)}号${rng.int(101, 2999)}室,老客户转介绍，每年两次保养，偏好上午到店，联系前先发短信\r\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

function emptyDatabase(): string {
  const file = path.join(WORK, 'empty.db');
  if (!fs.existsSync(file)) {
    const r = runCli(['--db', file, 'init']);
    if (r.code !== 0) throw new Error(`cannot create an empty database: ${r.stderr}`);
    // One file, no WAL beside it, so a plain copy is a whole database.
    spawnSync(SQLITE3 ?? 'sqlite3', [file, 'PRAGMA wal_checkpoint(TRUNCATE);']);
  }
  return file;
}

function tasksFor(db: string, growth: boolean): Task[] {
  const out = path.join(WORK, 'exports');
  const tasks: Task[] = JOB_NAMES.map((job) => ({
    name: `jobs run ${job}`, command: ['jobs', 'run'], job,
    args: (file: string) => ['--db', file, 'jobs', 'run', job, '--date', DAY, '--out', out],
  }));
  const order = sqlValue(db, "SELECT number FROM orders WHERE status = 'delivered' ORDER BY id DESC LIMIT 1 OFFSET 2000");
  const customer = sqlValue(db, "SELECT phone FROM customers WHERE kind = 'private' ORDER BY id LIMIT 1 OFFSET 1000");
  tasks.push(
    { name: 'order show', command: ['order', 'show'], args: (f) => ['--db', f, 'order', 'show', order] },
    { name: 'customer show', command: ['customer', 'show'], args: (f) => ['--db', f, 'customer', 'show', customer] },
  );
  if (growth) return tasks;
  const fleet = sqlValue(db, 'SELECT c.phone FROM customers c JOIN vehicles v ON v.customer_id = c.id GROUP BY c.id ORDER BY count(*) DESC LIMIT 1');
  const plate = sqlValue(db, 'SELECT v.plate FROM (SELECT vehicle_id, count(*) AS n FROM orders GROUP BY vehicle_id ORDER BY n DESC LIMIT 1) t JOIN vehicles v ON v.id = t.vehicle_id');
  const work = path.join(WORK, 'import.db');
  tasks.push(
    { name: 'customer show (largest fleet)', command: ['customer', 'show'], args: (f) => ['--db', f, 'customer', 'show', fleet] },
    { name: 'vehicle show (most orders)', command: ['vehicle', 'show'], args: (f) => ['--db', f, 'vehicle', 'show', plate] },
    { name: 'booking slots', command: ['booking', 'slots'], args: (f) => ['--db', f, 'booking', 'slots', '--date', addDays(DAY, 1)] },
    {
      name: `import customers (${IMPORT_ROWS} rows)`, command: ['import', 'customers'], rows: IMPORT_ROWS,
      prepare: () => {
        for (const s of ['', '-wal', '-shm']) fs.rmSync(work + s, { force: true });
        fs.copyFileSync(emptyDatabase(), work);
      },
      args: () => ['--db', work, 'import', 'customers', importFile()],
    },
    {
      name: `import customers streamed (${BIG_IMPORT_ROWS} rows, peak memory)`, command: ['import', 'customers'], rows: BIG_IMPORT_ROWS,
      once: true, peakMb: TARGETS.streamedImportPeakMb,
      prepare: () => {
        for (const s of ['', '-wal', '-shm']) fs.rmSync(work + s, { force: true });
        fs.copyFileSync(emptyDatabase(), work);
      },
      args: () => ['--db', work, 'import', 'customers', bigImportFile()],
    },
    { name: 'pitstop --help', command: [], args: () => ['--help'] },
    {
      // the longest daily list as a workbook: memory flat, at most twice the CSV run's time (SPEC §14)
      name: 'jobs run maintenance-due --format xlsx', command: ['jobs', 'run'], workbookOf: 'jobs run maintenance-due',
      args: (f) => ['--db', f, 'jobs', 'run', 'maintenance-due', '--date', DAY, '--out', out, '--format', 'xlsx'],
    },
  );
  return tasks;
}

async function measure(task: Task, db: string): Promise<Result> {
  const result: Result = {
    name: task.name, status: 'ok', ms: null, peak_mb: null, core_sql_ms: null, ratio: null, floor_ms: null, net_ratio: null, warm_ms: null, checks: [],
  };
  if (task.command.length && !isAvailable(task.command)) return { ...result, status: 'not available' };
  // For a job, its floor run and its core SQL run alternate with it, so that a change in the machine's
  // speed during the measurement touches all three alike; the net figure is the median of the paired
  // differences job − floor.
  const sql = task.job && SQLITE3 ? await coreSql(task.job, DAY, parseLocalDateTime('now', NOW, TZ), TZ) : null;
  const floorArgs = sql ? task.args(floorDatabase(db)) : null;
  // One warm-up round (file cache, first-run compilation), then the measured ones.
  const runs: Run[] = [];
  const floors: number[] = [];
  const cores: number[] = [];
  let sqlError = '';
  for (let i = 0; i <= (task.once ? 1 : RUNS); i++) {
    task.prepare?.();
    const r = runCli(task.args(db));
    if (r.code !== 0) {
      return { ...result, status: 'failed', error: `exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}` };
    }
    const floor = floorArgs ? runCli(floorArgs) : null;
    if (floor && floor.code !== 0) throw new Error(`floor run failed (exit ${floor.code}): ${floor.stderr.trim()}`);
    const core = sql ? runSql(db, sql) : null;
    if (core && !core.ok) sqlError = core.error;
    if (i === 0) continue;
    runs.push(r);
    if (floor) floors.push(floor.ms);
    if (core) cores.push(core.ms);
  }
  result.ms = +median(runs.map((r) => r.ms)).toFixed(1);
  const rss = runs.map((r) => r.rssKb).filter((x): x is number => x !== null);
  result.peak_mb = rss.length ? +(median(rss) / 1024).toFixed(1) : null;
  result.output = runs[0]!.stdout.trim().split('\n').slice(-1)[0]?.slice(0, 160);
  if (task.rows) result.rows_per_second = Math.round(task.rows / (result.ms / 1000));
  if (task.job && sql) {
    if (sqlError) result.error = `core SQL: ${sqlError}`;
    else {
      result.core_sql_ms = +median(cores).toFixed(1);
      result.ratio = +(result.ms / result.core_sql_ms).toFixed(2);
      result.floor_ms = +median(floors).toFixed(1);
      const added = median(runs.map((r, i) => r.ms - floors[i]!));
      result.net_ratio = +(Math.max(0, added) / result.core_sql_ms).toFixed(2);
    }
  }
  if (task.job) {
    const warm = warmMs(db, task.job);
    result.warm_ms = warm === null ? null : +warm.toFixed(1);
  }
  // Targets of SPEC §8.
  if (task.job) {
    if (result.ms > TARGETS.jobMs) result.checks.push(`over ${TARGETS.jobMs} ms`);
    if (result.net_ratio !== null && result.net_ratio > TARGETS.jobRatio) result.checks.push(`over ${TARGETS.jobRatio}× core SQL (net)`);
    if (result.peak_mb !== null && result.peak_mb > TARGETS.jobPeakMb) result.checks.push(`over ${TARGETS.jobPeakMb} MB`);
  }
  if (task.rows && (result.rows_per_second ?? 0) < TARGETS.importRowsPerSecond) result.checks.push(`under ${TARGETS.importRowsPerSecond} rows/s`);
  if (task.peakMb && result.peak_mb !== null && result.peak_mb > task.peakMb) result.checks.push(`over ${task.peakMb} MB`);
  if (task.name === 'pitstop --help' && result.ms > TARGETS.helpMs) result.checks.push(`over ${TARGETS.helpMs} ms`);
  return result;
}

/** A workbook run within 2× its CSV run's wall time and under the memory target (SPEC §14). */
function checkWorkbooks(tasks: Task[], results: Result[]): void {
  for (const task of tasks) {
    if (!task.workbookOf) continue;
    const r = results.find((x) => x.name === task.name);
    const csv = results.find((x) => x.name === task.workbookOf);
    if (!r || r.status !== 'ok' || !r.ms) continue;
    if (r.peak_mb !== null && r.peak_mb > TARGETS.jobPeakMb) r.checks.push(`over ${TARGETS.jobPeakMb} MB`);
    if (csv?.ms) {
      r.ratio = +(r.ms / csv.ms).toFixed(2);
      if (r.ratio > 2) r.checks.push(`over 2× the CSV run (${csv.ms.toFixed(0)} ms)`);
    }
  }
}

function printTable(title: string, results: Result[]): void {
  const fixed = (x: number | null | undefined, d = 0) => x?.toFixed(d) ?? '';
  const rows = results.map((r) => [
    r.name, r.status, fixed(r.ms), fixed(r.peak_mb), fixed(r.core_sql_ms), fixed(r.ratio, 2), fixed(r.floor_ms), fixed(r.net_ratio, 2), fixed(r.warm_ms),
    r.rows_per_second ? String(r.rows_per_second) : '', [r.status === 'ok' ? (r.checks.length ? r.checks.join('; ') : 'ok') : '', r.error ?? ''].filter(Boolean).join('; '),
  ]);
  const header = ['task', 'status', 'wall ms', 'peak MB', 'core SQL ms', 'ratio', 'floor ms', 'net ratio', 'warm ms', 'rows/s', 'targets'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  process.stdout.write(`\n${title}\n${line(header)}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(
    `(ratio = wall / core SQL; floor = the same command on an empty database; net ratio = (wall − floor) / core SQL;\n` +
      ` warm = the job inside a running process, as \`pitstop cron\` runs it; \`pitstop --version\`: ${startupMs().toFixed(0)} ms,\n` +
      ` \`node -e 0\`: ${median(Array.from({ length: 5 }, () => runNode('-e', ['0']).ms)).toFixed(0)} ms)\n`,
  );
}

/**
 * Issue 18: push the data set to a group, a day's changes, and group reports over 20 stores
 * (bench/group.ts), on the PostgreSQL PITSTOP_BENCH_PG or PITSTOP_TEST_PG names; skipped without one.
 */
async function groupBench(file: string): Promise<unknown> {
  if (ONLY.length && !ONLY.some((w) => 'group'.includes(w) || w.includes('group'))) return undefined;
  const server = process.env.PITSTOP_BENCH_PG || process.env.PITSTOP_TEST_PG;
  if (!server) {
    process.stdout.write('\ngroup: skipped (set PITSTOP_BENCH_PG=postgres://user@host:port/database of a server it may create databases on)\n');
    return { skipped: 'no PITSTOP_BENCH_PG' };
  }
  const { benchGroup } = await import('./group.js');
  const results = await benchGroup(file, server, WORK, runCli, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`\ngroup on PostgreSQL (${new URL(server).host})\n`);
  for (const r of results) {
    const ok = r.target_ms === null ? '' : r.ms !== null && r.ms <= r.target_ms ? `  ok (< ${r.target_ms / 1000} s)` : `  OVER ${r.target_ms / 1000} s`;
    process.stdout.write(`  ${r.name.padEnd(52)} ${r.ms === null ? '—' : `${(r.ms / 1000).toFixed(2)} s`.padStart(9)}  ${r.peak_mb ? `${r.peak_mb.toFixed(0)} MB`.padStart(7) : ''.padStart(7)}${ok}  ${r.note}\n`);
  }
  return results;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('not built: run `npm run build` first');
  const machine = {
    cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', memory_gb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version,
    sqlite3_shell: SQLITE3 ? spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0] : null,
    peak_memory_by: TIME ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (preloaded probe)',
  };
  const report: Record<string, unknown> = { measured_at: new Date().toISOString(), runs: RUNS, day: DAY, now: NOW, targets: TARGETS, machine, load_average: os.loadavg().map((x) => +x.toFixed(2)) };
  if (!SQLITE3) process.stderr.write('bench: no sqlite3 shell found: core SQL times are not measured\n');

  const large = ensureDataset(SCALE);
  report.dataset = { file: path.relative(ROOT, large.file), seed: SEED, generator: GENERATOR_VERSION, counts: large.counts, build_seconds: large.buildSeconds, build_peak_mb: large.buildPeakMb, reused_cache: large.reused, size_mb: +(fs.statSync(large.file).size / 2 ** 20).toFixed(0) };
  process.stdout.write(`data set: ${path.relative(ROOT, large.file)} (${Object.entries(large.counts).map(([t, n]) => `${t} ${n}`).join(', ')})\n`);
  process.stdout.write(`built in ${large.buildSeconds ?? '?'} s, peak ${large.buildPeakMb ?? '?'} MB${large.reused ? ' (cached build, reused)' : ''}\n`);

  if (flag('growth')) {
    const growth: Array<{ scale: number; counts: Record<string, number>; build_seconds: number | null; results: Result[] }> = [];
    for (const scale of [0.1, 1]) {
      const ds = scale === 1 ? large : ensureDataset(scale);
      const results: Result[] = [];
      for (const task of tasksFor(ds.file, true).filter(chosen)) results.push(await measure(task, ds.file));
      printTable(`${scale * 100}% of the data set (${ds.counts.orders} orders)`, results);
      growth.push({ scale, counts: ds.counts, build_seconds: ds.buildSeconds, results });
    }
    const [small, full] = growth;
    process.stdout.write('\ngrowth 10% → 100% (wall time ratio; 10× the data)\n');
    for (const r of full!.results) {
      const s = small!.results.find((x) => x.name === r.name);
      if (r.ms && s?.ms) process.stdout.write(`  ${r.name.padEnd(34)} ${s.ms.toFixed(0).padStart(6)} ms → ${r.ms.toFixed(0).padStart(6)} ms  ×${(r.ms / s.ms).toFixed(2)}\n`);
    }
    report.growth = growth;
  } else {
    const results: Result[] = [];
    for (const task of tasksFor(large.file, false).filter(chosen)) {
      process.stderr.write(`bench: ${task.name}\n`);
      results.push(await measure(task, large.file));
    }
    checkWorkbooks(tasksFor(large.file, false), results);
    printTable(`median of ${RUNS} runs on ${SCALE === 1 ? 'the large data set' : `${SCALE * 100} % of the large data set`} (${large.counts.orders} orders), run date ${DAY}`, results);
    report.results = results;
    report.group = await groupBench(large.file);
  }
  report.startup_ms = +startupMs().toFixed(1);
  // How fast the machine was: Node doing nothing (about 60 ms here when the host is quiet)
  report.node_baseline_ms = +median(Array.from({ length: 9 }, () => runNode('-e', ['0']).ms)).toFixed(1);
  report.load_average_after = os.loadavg().map((x) => +x.toFixed(2));
  if (ONLY.length) {
    process.stdout.write(`\nnode -e 0: ${report.node_baseline_ms} ms; --only: not written to ${path.relative(ROOT, RESULTS)}\n`);
    return;
  }
  // Keep the other mode's figures when only one mode ran.
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    /* first run */
  }
  // Each mode replaces only its own figures. A growth run goes under `growth` with its own time, load
  // and host speed, so the top-level ones keep describing the main run.
  const { measured_at, runs, load_average, load_average_after, startup_ms, node_baseline_ms } = report;
  const merged = flag('growth')
    ? { ...previous, growth: { measured_at, runs, load_average, load_average_after, startup_ms, node_baseline_ms, scales: report.growth } }
    : { ...report, growth: previous.growth };
  fs.writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + '\n');
  process.stdout.write(`\nwritten ${path.relative(ROOT, RESULTS)}\n`);
}

main()
  .catch((err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(WORK, { recursive: true, force: true }));
