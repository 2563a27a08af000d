/**
 * Fuzz every flag validator, deterministically (seeded). The bulk runs in-process against the
 * validators themselves; a sample goes through the built binary, where each case must exit 0 (and the
 * value be stored normalized), 2 (or 4 for a rule such as a duplicate), print `pitstop: …` naming the
 * field, never a stack trace, and leave the database exactly as it was when it fails.
 * CI size by default; PITSTOP_FUZZ_LONG=1 runs a much longer one. PITSTOP_FUZZ_SEED picks the seed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';
import { hasForbidden, hasInvisible, hasLoneSurrogate, int, NASTY, nastyFor, pick, rng, type Rand } from '../fuzz/nasty.js';
import { Db } from '../../src/db/sqlite.js';
import { PitstopError } from '../../src/errors.js';
import { cleanName, normalizePhone, normalizePlate, normalizeVin, parseKm } from '../../src/domain/identity.js';
import { checkSetting, SETTING_KEYS, SETTINGS, Settings } from '../../src/domain/settings.js';
import { parseDay, parseLocalDateTime } from '../../src/domain/time.js';
import { parseScaled, parseYuan } from '../../src/domain/money.js';
import { validateVehicleFields } from '../../src/app/vehicles.js';
import { parseMinutes } from '../../src/domain/booking.js';
import { parseCallWindow, parseFuel, parseLineNumbers, parsePayMethod } from '../../src/domain/order.js';

const LONG = !!process.env.PITSTOP_FUZZ_LONG;
const SEED = Number(process.env.PITSTOP_FUZZ_SEED ?? 20261123);
const IN_PROCESS_CASES = LONG ? 200_000 : 6_000;
const CLI_CASES = LONG ? 1_500 : 80;

/** Findings that are not failures (e.g. invisible characters kept in a name): printed at the end. */
const findings = new Map<string, string[]>();
function finding(kind: string, example: string): void {
  const list = findings.get(kind) ?? [];
  if (list.length < 3) list.push(JSON.stringify(example.slice(0, 40)));
  findings.set(kind, list);
}

afterAll(() => {
  if (findings.size) console.log(`[fuzz findings] ${[...findings].map(([k, v]) => `${k}: ${v.join(' ')}`).join(' | ')}`);
});

// ───────────────────────── in-process: the validators themselves ─────────────────────────

interface Validator {
  field: string;
  /** the word the error message must contain */
  word: string;
  valid: readonly string[];
  run: (text: string) => unknown;
  /** checks a value it accepted; returns what is wrong, or null */
  accepts: (value: unknown, text: string) => string | null;
}

const settings = Settings.defaults();
const today = '2026-11-23';
const isCents = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100_000_000_000 ? null : `bad cents ${v}`);
const isScaled = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? null : `bad number ${v}`);
const cleanStored = (v: unknown) => (typeof v === 'string' && !hasForbidden(v) ? null : `kept forbidden characters: ${JSON.stringify(v)}`);

/**
 * Known and reported to the owner of src/domain/settings.ts: the free-text settings (shop.name,
 * jobs.out, message.*) refuse C0 controls but not bidi overrides/isolates (U+202A–E, U+2066–9),
 * unlike cleanText. Listed as findings, not failures, until that check is tightened.
 */
const FREE_TEXT_SETTINGS = new Set(SETTING_KEYS.filter((k) => k === 'shop.name' || k === 'jobs.out' || k.startsWith('message.')));
const knownGap = (field: string, value: unknown) =>
  FREE_TEXT_SETTINGS.has(field) && typeof value === 'string' && hasForbidden(value) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);

const VALIDATORS: Validator[] = [
  { field: 'phone', word: 'phone', valid: ['13800000001', '+86 138-0000-0001', '８６13800000001', '(138) 0000 0001'], run: (t) => normalizePhone(t), accepts: (v) => (/^1[3-9]\d{9}$/.test(String(v)) ? null : `phone ${v}`) },
  { field: 'phone (fleet)', word: 'phone', valid: ['010-12345678', '0755 1234 5678', '13800000001'], run: (t) => normalizePhone(t, 'fleet'), accepts: (v) => (/^(1[3-9]\d{9}|0\d{9,11})$/.test(String(v)) ? null : `phone ${v}`) },
  { field: 'name', word: 'name', valid: ['张三', '  李四 ', 'Zhang San', '欧阳娜娜'], run: (t) => cleanName('name', t), accepts: (v) => cleanStored(v) ?? (String(v).length <= 100 && !/[\r\n\t]/.test(String(v)) && String(v).trim() === v ? null : `name ${JSON.stringify(v)}`) },
  { field: 'plate', word: 'plate', valid: ['京A12345', '粤B·D12345', 'sh a 1234 5'.replace('sh', '沪'), '京ＡＢ１２３４'], run: (t) => normalizePlate(t), accepts: (v) => (/^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/.test(String(v)) ? null : `plate ${v}`) },
  { field: 'vin', word: 'vin', valid: ['LSVAA4182E2123456', 'lsvaa4182e2123456', '1M8GDM9AXKP042788'], run: (t) => normalizeVin(t), accepts: (v) => (/^[A-HJ-NPR-Z0-9]{17}$/.test((v as { vin: string }).vin) ? null : `vin ${JSON.stringify(v)}`) },
  { field: 'mileage', word: 'mileage', valid: ['50000', '０', ' 12345 '], run: (t) => parseKm('mileage', t), accepts: (v) => (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < 10_000_000 ? null : `km ${v}`) },
  { field: 'year', word: 'year', valid: ['2020', '1995', '２０２５'], run: (t) => validateVehicleFields({ plate: '京A12345', year: t }, today, settings, false).fields.year, accepts: (v) => (v === undefined || (Number.isInteger(v) && (v as number) >= 1950 && (v as number) <= 2027) ? null : `year ${v}`) },
  { field: 'purchased', word: 'purchased', valid: ['2024-05-01', '2026-11-23', '２０２４-０５-０１'], run: (t) => validateVehicleFields({ plate: '京A12345', purchased: t }, today, settings, false).fields.purchased_on, accepts: (v) => (v === undefined || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && v <= today) ? null : `purchased ${v}`) },
  { field: 'day', word: 'date', valid: ['2026-11-23', '2024-02-29'], run: (t) => parseDay('date', t), accepts: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? null : `day ${v}`) },
  { field: '--now', word: '--now', valid: ['2026-11-23 10:00', '2026-11-23T10:00', '２０２６-11-23 10:00'], run: (t) => parseLocalDateTime('--now', t, 'Asia/Shanghai'), accepts: (v) => (v instanceof Date && !Number.isNaN(v.getTime()) && v.getUTCFullYear() >= 1899 && v.getUTCFullYear() <= 2999 ? null : `now ${v}`) },
  { field: 'price', word: 'price', valid: ['120', '120.5', '120.50', '¥99', '１２.５', '0'], run: (t) => parseYuan('price', t), accepts: isCents },
  { field: 'amount', word: 'amount', valid: ['100', '0.01', '999999.99'], run: (t) => parseYuan('amount', t, { allowZero: false }), accepts: (v) => isCents(v) ?? (v === 0 ? 'zero accepted' : null) },
  { field: 'hours', word: 'hours', valid: ['1.5', '0.25', '8'], run: (t) => parseScaled('hours', t, 2, { min: 1, max: 100_000 }), accepts: isScaled },
  { field: 'qty', word: 'qty', valid: ['4', '1.5', '0.125'], run: (t) => parseScaled('qty', t, 3, { min: 1 }), accepts: isScaled },
  { field: 'minutes', word: 'minutes', valid: ['60', '30', '１２０'], run: (t) => parseMinutes(t), accepts: (v) => (Number.isSafeInteger(v) && (v as number) > 0 ? null : `minutes ${v}`) },
  { field: 'call window', word: 'window', valid: ['10:00-11:30', '14:00-17:00'], run: (t) => parseCallWindow(t), accepts: cleanStored },
  { field: 'fuel', word: 'fuel', valid: ['E', '1/4', '1/2', 'F'], run: (t) => parseFuel(t), accepts: cleanStored },
  { field: 'method', word: 'method', valid: ['cash', 'wechat', 'Card'], run: (t) => parsePayMethod(t), accepts: cleanStored },
  { field: 'lines', word: 'line', valid: ['1,2', '3', '1, 2, 3'], run: (t) => parseLineNumbers(t), accepts: (v) => (Array.isArray(v) && v.every((n) => Number.isSafeInteger(n) && n > 0) ? null : `lines ${v}`) },
  ...SETTING_KEYS.map((key): Validator => ({
    field: key,
    word: key,
    valid: [SETTINGS.get(key)!.default, ...(key.endsWith('.schedule') ? ['*/5 * * * *', '0 8 * * 1-5'] : [])],
    run: (t) => checkSetting(key, t, new Map()),
    accepts: (v, t) => {
      if (cleanStored(v)) return cleanStored(v);
      try {
        return checkSetting(key, v as string, new Map()) === v ? null : `not idempotent: ${JSON.stringify(t)} → ${JSON.stringify(v)}`;
      } catch {
        return `stored form refused on re-check: ${JSON.stringify(v)}`;
      }
    },
  })),
];

describe(`fuzz: flag validators in-process (${IN_PROCESS_CASES} cases, seed ${SEED})`, () => {
  it('each input is accepted in a clean normalized form or refused with exit 2 naming the field', () => {
    const r = rng(SEED);
    const failures: string[] = [];
    let accepted = 0;
    let refused = 0;
    const run = (v: Validator, text: string) => {
      let value: unknown;
      try {
        value = v.run(text);
      } catch (err) {
        if (!(err instanceof PitstopError)) {
          failures.push(`${v.field} ${JSON.stringify(text.slice(0, 60))}: threw ${(err as Error)?.constructor?.name} ${(err as Error)?.message}`);
          return;
        }
        if (err.exitCode !== 2) failures.push(`${v.field} ${JSON.stringify(text.slice(0, 60))}: exit ${err.exitCode} ${err.message}`);
        else if (!err.message.toLowerCase().includes(v.word.toLowerCase())) failures.push(`${v.field} ${JSON.stringify(text.slice(0, 60))}: message does not name the field: ${err.message}`);
        else if (err.message.length > 400) {
          // known and reported: checkCron quotes the whole bad field in its message (settings.ts)
          if (v.field.endsWith('.schedule')) finding(`${v.field} error message echoes the whole input (known gap)`, `${err.message.length} characters`);
          else failures.push(`${v.field}: message too long (${err.message.length} characters)`);
        }
        refused++;
        return;
      }
      if (knownGap(v.field, value)) {
        finding(`${v.field} keeps bidi override characters (known gap)`, text);
        accepted++;
        return;
      }
      if (typeof value === 'string' && hasLoneSurrogate(value)) finding(`${v.field} keeps a lone surrogate`, text);
      const wrong = v.accepts(value, text);
      if (wrong) failures.push(`${v.field} ${JSON.stringify(text.slice(0, 60))}: accepted but ${wrong}`);
      else accepted++;
      if (typeof value === 'string' && hasInvisible(value)) finding(`${v.field} keeps invisible characters`, text);
    };
    // every fixed nasty string against every validator, then random ones
    for (const v of VALIDATORS) for (const text of NASTY) run(v, text);
    for (let i = 0; i < IN_PROCESS_CASES; i++) {
      const v = pick(r, VALIDATORS);
      run(v, nastyFor(r, v.valid));
    }
    // valid values stay valid
    for (const v of VALIDATORS) for (const text of v.valid) expect(() => v.run(text), `${v.field} ${text}`).not.toThrow();
    console.log(`[figures] fuzz in-process: ${accepted + refused} inputs over ${VALIDATORS.length} validators, ${accepted} accepted clean, ${refused} refused with exit 2, ${failures.length} failures`);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 300_000);
});

// ───────────────────────── through the binary ─────────────────────────

const COUNTED = ['customers', 'vehicles', 'orders', 'order_lines', 'payments', 'bookings', 'settings', 'audit_log'] as const;

describe(`fuzz: the CLI (${CLI_CASES} cases, seed ${SEED})`, () => {
  const dir = tempDir('pitstop-fuzz-');
  const dbFile = path.join(dir, 'pitstop.db');
  const run = cliFor(dbFile, '2026-11-23 10:00');
  let db: Db;
  let order = '';

  beforeAll(async () => {
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
    const o = run(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q']);
    expect(o.code).toBe(0);
    order = o.stdout.trim();
    expect(run(['order', 'labor', order, '检查', '--hours', '10', '-q']).code).toBe(0);
    expect(run(['order', 'approve', order]).code).toBe(0);
    db = await Db.open(dbFile, { readonly: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of COUNTED) out[t] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n;
    return out;
  }

  interface CliCase {
    field: string;
    word: string;
    args: string[];
    /** after exit 0: what must hold in the database */
    check?: () => Promise<string | null>;
  }

  let serial = 0;
  const uniquePhone = () => `137${String(++serial).padStart(8, '0')}`;
  const uniquePlate = () => `京B${String(++serial).padStart(5, '0')}`;
  const lastRow = (sql: string) => db.get<Record<string, unknown>>(sql);

  function nextCase(r: Rand): CliCase {
    const kind = int(r, 0, 11);
    switch (kind) {
      case 0: {
        const name = nastyFor(r, ['王五', '  李 四 ', 'Zhang San']);
        return {
          field: 'name', word: 'name', args: ['customer', 'add', '--name', name, '--phone', uniquePhone()],
          check: async () => {
            const row = await lastRow('SELECT name FROM customers ORDER BY id DESC LIMIT 1');
            if (hasInvisible(String(row?.name))) finding('customer name keeps invisible characters', name);
            return row && !hasForbidden(String(row.name)) && String(row.name) === String(row.name).trim() && row.name !== '' ? null : `stored name ${JSON.stringify(row?.name)}`;
          },
        };
      }
      case 1: {
        const phone = nastyFor(r, ['13900000001', '+86 139-0000-0002', '１３９００００００03']);
        return {
          field: 'phone', word: 'phone', args: ['customer', 'add', '--name', '客户', '--phone', phone],
          check: async () => {
            const row = await lastRow('SELECT phone FROM customers ORDER BY id DESC LIMIT 1');
            return /^1[3-9]\d{9}$/.test(String(row?.phone)) ? null : `stored phone ${row?.phone}`;
          },
        };
      }
      case 2: {
        const flag = pick(r, ['--mileage', '--year', '--purchased', '--vin', '--interval-km', '--color'] as const);
        const valid: Record<typeof flag, string[]> = {
          '--mileage': ['1000', '１２３４５'], '--year': ['2020'], '--purchased': ['2024-05-01'], '--vin': ['LSVAA4182E2123456'],
          '--interval-km': ['5000', '10000'], '--color': ['白色', 'red'],
        };
        const value = nastyFor(r, valid[flag]);
        const word = flag.slice(2);
        return {
          field: flag, word, args: ['vehicle', 'add', '--customer', '1', '--plate', uniquePlate(), flag, value, '--force'],
          check: async () => {
            const row = await lastRow('SELECT initial_km, year, purchased_on, vin, interval_km, color FROM vehicles ORDER BY id DESC LIMIT 1');
            if (!row) return 'no row';
            if (row.initial_km !== null && !(Number.isSafeInteger(row.initial_km) && (row.initial_km as number) >= 0)) return `km ${row.initial_km}`;
            if (row.vin !== null && !/^[A-HJ-NPR-Z0-9]{17}$/.test(String(row.vin))) return `vin ${row.vin}`;
            if (row.purchased_on !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(row.purchased_on))) return `purchased ${row.purchased_on}`;
            if (row.color !== null && hasForbidden(String(row.color))) return `color ${JSON.stringify(row.color)}`;
            return null;
          },
        };
      }
      case 3: {
        const plate = nastyFor(r, ['京C12345', '沪 A·1234 5', '粤BD12345']);
        return {
          field: 'plate', word: 'plate', args: ['vehicle', 'add', '--customer', '1', '--plate', plate],
          check: async () => {
            const row = await lastRow('SELECT plate FROM vehicles ORDER BY id DESC LIMIT 1');
            return /^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$|^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4}[挂学警港澳]$/.test(String(row?.plate)) ? null : `plate ${row?.plate}`;
          },
        };
      }
      case 4: {
        const key = pick(r, SETTING_KEYS);
        const value = nastyFor(r, [SETTINGS.get(key)!.default]);
        return {
          field: key, word: key, args: ['config', 'set', key, value],
          check: async () => {
            const row = await lastRow(`SELECT value FROM settings WHERE key = '${key}'`);
            if (!row) return 'not stored';
            if (knownGap(key, row.value)) {
              finding(`${key} stored with bidi override characters (known gap)`, String(row.value));
              return null;
            }
            try {
              checkSetting(key, String(row.value), new Map());
            } catch (e) {
              return `stored value refused on re-check: ${(e as Error).message}`;
            }
            return hasForbidden(String(row.value)) ? `stored ${JSON.stringify(row.value)}` : null;
          },
        };
      }
      case 5:
        return { field: '--now', word: 'now', args: ['--now', nastyFor(r, ['2026-11-23 10:00', '2026-11-23T09:30']), 'customer', 'list'] };
      case 6:
        return { field: '--hours', word: 'hours', args: ['order', 'labor', order, '工时', '--hours', nastyFor(r, ['1.5', '0.25'])] };
      case 7: {
        const flag = pick(r, ['--qty', '--price'] as const);
        const value = nastyFor(r, flag === '--qty' ? ['4', '1.5', '0.125'] : ['68.5', '120.00']);
        const args = ['order', 'part', order, '配件', '--qty', flag === '--qty' ? value : '1', '--price', flag === '--price' ? value : '10'];
        return { field: flag, word: flag.slice(2), args };
      }
      case 8:
        return { field: '--amount', word: 'amount', args: ['order', 'pay', order, '--amount', nastyFor(r, ['1', '0.01', '10.5']), '--method', 'cash'] };
      case 9: {
        const flag = pick(r, ['--at', '--minutes', '--estimate', '--deposit'] as const);
        const valid = { '--at': ['2026-11-24 10:00', '2026-11-25 14:30'], '--minutes': ['60', '90'], '--estimate': ['300', '300.50'], '--deposit': ['0', '100'] }[flag];
        const args = ['booking', 'add', '--plate', '京A12345', '--at', '2026-11-24 09:00', '--minutes', '60'];
        const i = args.indexOf(flag);
        if (i >= 0) args[i + 1] = nastyFor(r, valid);
        else args.push(flag, nastyFor(r, valid));
        return { field: flag, word: flag.slice(2), args: [...args, '--force'] };
      }
      case 10:
        return { field: '--at', word: 'at', args: ['order', 'finding', order, '刹车片偏薄', '--at', nastyFor(r, ['2026-11-23 10:30'])] };
      default:
        return { field: 'description', word: 'description', args: ['order', 'labor', order, nastyFor(r, ['更换机油', '检查刹车']), '--hours', '1'] };
    }
  }

  it('every case: exit 0 stored clean, or exit 2/4 naming the field with nothing written; never a stack trace', async () => {
    const r = rng(SEED + 1);
    const failures: string[] = [];
    const tally: Record<number, number> = {};
    for (let i = 0; i < CLI_CASES; i++) {
      const c = nextCase(r);
      // an argument cannot carry NUL through exec(): the OS would cut it; send U+0001 instead
      c.args = c.args.map((a) => a.replace(/\u0000/g, '\u0001'));
      const before = await counts();
      const res = run(c.args);
      const after = await counts();
      tally[res.code] = (tally[res.code] ?? 0) + 1;
      const label = `${c.field} ${JSON.stringify(c.args.join(' ').slice(0, 100))}`;
      if (/\n\s+at |internal error|Error:/.test(res.stderr)) failures.push(`${label}: stack trace or internal error: ${res.stderr.slice(0, 200)}`);
      if (res.code === 0) {
        const wrong = c.check ? await c.check() : null;
        if (wrong) failures.push(`${label}: accepted but ${wrong}`);
        continue;
      }
      if (![2, 4].includes(res.code)) failures.push(`${label}: exit ${res.code}: ${res.stderr.slice(0, 200)}`);
      if (!res.stderr.startsWith('pitstop: ')) failures.push(`${label}: stderr does not start with "pitstop: ": ${res.stderr.slice(0, 100)}`);
      // a value starting with "-" in a positional place is read as an option by commander: its own clear message
      const parserMessage = /^pitstop: (unknown option|missing required argument|too many arguments|option '.*' argument missing)/.test(res.stderr);
      if (res.code === 2 && !parserMessage && !res.stderr.toLowerCase().includes(c.word.toLowerCase())) failures.push(`${label}: message does not name ${c.word}: ${res.stderr.slice(0, 200)}`);
      if (res.stdout !== '') failures.push(`${label}: failed but printed to stdout: ${res.stdout.slice(0, 100)}`);
      if (JSON.stringify(before) !== JSON.stringify(after)) failures.push(`${label}: failed (exit ${res.code}) but the database changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    const integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
    expect(integrity.map((x) => x.integrity_check)).toEqual(['ok']);
    // the table the SQL-injection strings aimed at is still there
    expect((await counts()).customers).toBeGreaterThan(0);
    console.log(`[figures] fuzz CLI: ${CLI_CASES} cases, exit codes ${JSON.stringify(tally)}, ${failures.length} failures`);
    expect(failures.slice(0, 15)).toEqual([]);
  }, CLI_CASES * 2_000 + 60_000);
});
