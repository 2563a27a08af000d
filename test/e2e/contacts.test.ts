/**
 * Reaching the customer (SPEC §13, §16) through the binary: `contact record` on each calling list,
 * consent per channel, wrong numbers, the `last_contact` column, and what outcomes do to the next lists
 * (later brings a row back on its day even inside the cooldown; refused/booked/declined keep it off).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { cliFor, tempDir } from '../helpers.js';

type Rec = Record<string, string>;
const readCsv = (file: string): Rec[] => parse(fs.readFileSync(file, 'utf8'), { bom: true, columns: true }) as Rec[];

function desk(now = '2026-11-20 09:00') {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const at = (t: string) => cliFor(db, t);
  const run = at(now);
  const ok = (r: { code: number; stderr: string; stdout: string }) => {
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  ok(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']));
  ok(run(['customer', 'add', '--name', '李四', '--phone', '13800000002', '-q']));
  ok(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']));
  ok(run(['vehicle', 'add', '--customer', '2', '--plate', '京B22222', '--mileage', '30000', '-q']));
  const b1 = ok(run(['booking', 'add', '--plate', '京A12345', '--at', '2026-11-24 10:00', '-q']));
  const b2 = ok(run(['booking', 'add', '--plate', '京B22222', '--at', '2026-11-24 11:00', '-q']));
  return { dir, db, at, run, ok, b1, b2 };
}

describe('contact record', () => {
  it('records an outcome on a list; bad list, result, REF and later without --later-at are refused', () => {
    const { run, b1 } = desk();
    let r = run(['contact', 'record', '--list', 'appointment-reminders', '--ref', b1, '--result', 'reached', '--agent', '小王', '--at', '2026-11-20 08:30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`appointment-reminders ${b1}: reached recorded at 2026-11-20 08:30\n`);
    r = run(['contact', 'record', '--list', 'callbacks', '--ref', 'RO-20261120-0001', '--result', 'reached']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('callbacks keep their own form: pitstop callback record');
    r = run(['contact', 'record', '--list', 'birthdays', '--ref', b1, '--result', 'reached']);
    expect([r.code, r.stderr.startsWith('pitstop: invalid --list "birthdays": one of appointment-reminders, maintenance-due')]).toEqual([2, true]);
    r = run(['contact', 'record', '--list', 'maintenance-due', '--ref', '京A12345', '--result', 'maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --result "maybe": one of reached, booked, declined, no_answer, later, wrong_number, refused');
    r = run(['contact', 'record', '--list', 'maintenance-due', '--ref', '京A12345', '--result', 'later']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing required --later-at');
    r = run(['contact', 'record', '--list', 'maintenance-due', '--ref', '京A12345', '--result', 'later', '--later-at', '2026-11-19 10:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid later-at "2026-11-19 10:00": must be after the call');
    expect(run(['contact', 'record', '--list', 'maintenance-due', '--ref', '京Z99999', '--result', 'reached']).code).toBe(3);
    expect(run(['contact', 'record', '--list', 'lapsed-customers', '--ref', '13900000000', '--result', 'reached']).code).toBe(3);
    expect(run(['contact', 'record', '--list', 'arrears', '--ref', 'RO-20261120-0009', '--result', 'reached']).code).toBe(3);
    r = run(['contact', 'record', '--list', 'lapsed-customers', '--ref', '138 0000 0002', '--result', 'later', '--later-at', '2026-12-01 10:00', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ list: 'lapsed-customers', subject: 'customer:2', result: 'later', later_at: '2026-12-01T02:00:00.000Z' });
  });

  it('a wrong number flags the phone: off the calling lists until the phone changes; last_contact on the list', () => {
    const { run, at, b1, b2, dir } = desk();
    const out = path.join(dir, 'out');
    expect(run(['contact', 'record', '--list', 'appointment-reminders', '--ref', b2, '--result', 'no_answer', '--at', '2026-11-19 17:05']).code).toBe(0);
    let r = run(['contact', 'record', '--list', 'appointment-reminders', '--ref', b1, '--result', 'wrong_number', '--at', '2026-11-19 17:00']);
    expect(r.stdout).toContain('the phone is marked wrong');
    expect(run(['customer', 'show', '1']).stdout).toMatch(/phone marked wrong +2026-11-19 17:00 \(off the calling lists until the phone is changed\)/);
    const later = at('2026-11-23 07:00');
    expect(later(['jobs', 'run', 'appointment-reminders', '--out', out]).code).toBe(0);
    let rows = readCsv(path.join(out, 'appointment-reminders-2026-11-23.csv'));
    expect(rows.map((x) => [x.booking_id, x.last_contact])).toEqual([[b2, '2026-11-19 17:05 no_answer']]);
    expect(Object.keys(rows[0]!).at(-1)).toBe('last_contact');
    // a new number: back on the list
    expect(later(['customer', 'edit', '1', '--phone', '13800000011']).code).toBe(0);
    expect(later(['jobs', 'run', 'appointment-reminders', '--date', '2026-11-23', '--out', out]).code).toBe(0);
    rows = readCsv(path.join(out, 'appointment-reminders-2026-11-23.csv'));
    expect(rows.map((x) => [x.booking_id, x.last_contact])).toEqual([[b1, '2026-11-19 17:00 wrong_number'], [b2, '2026-11-19 17:05 no_answer']]);
  });

  it('consent per channel: --no-calls takes a customer off the calling lists, --messages/--no-messages kept apart', () => {
    const { run, at, b1, b2, dir } = desk();
    const out = path.join(dir, 'out');
    expect(run(['customer', 'edit', '2', '--no-calls']).code).toBe(0);
    expect(JSON.parse(run(['customer', 'show', '2', '--json']).stdout).customer).toMatchObject({ no_calls: 1, no_messages: 0, do_not_contact: 0 });
    expect(run(['customer', 'show', '2']).stdout).toMatch(/do not contact +no calls \(messages allowed\)/);
    expect(at('2026-11-23 07:00')(['jobs', 'run', 'appointment-reminders', '--out', out]).code).toBe(0);
    expect(readCsv(path.join(out, 'appointment-reminders-2026-11-23.csv')).map((x) => x.booking_id)).toEqual([b1]);
    expect(run(['customer', 'edit', '2', '--calls', '--no-messages']).code).toBe(0);
    expect(JSON.parse(run(['customer', 'show', '2', '--json']).stdout).customer).toMatchObject({ no_calls: 0, no_messages: 1, do_not_contact: 0 });
    expect(run(['customer', 'edit', '2', '--no-calls']).code).toBe(0);
    expect(JSON.parse(run(['customer', 'show', '2', '--json']).stdout).customer).toMatchObject({ no_calls: 1, no_messages: 1, do_not_contact: 1 });
    expect(run(['customer', 'add', '--name', '王五', '--phone', '13800000003', '--do-not-contact', '--messages', '--json']).stdout).toMatch(/"no_calls": 1,\s+"no_messages": 0/);
    const csv = path.join(run(['customer', 'list']).code === 0 ? out : out, 'c.csv');
    fs.writeFileSync(csv, 'name,phone,calls,messages\n赵六,13800000004,0,1\n孙七,13800000005,是,否\n');
    expect(run(['import', 'customers', csv]).code).toBe(0);
    expect(JSON.parse(run(['customer', 'show', '13800000004', '--json']).stdout).customer).toMatchObject({ no_calls: 1, no_messages: 0 });
    expect(JSON.parse(run(['customer', 'show', '13800000005', '--json']).stdout).customer).toMatchObject({ no_calls: 0, no_messages: 1 });
    void b2;
  });
});

describe('outcomes feed the next lists', () => {
  it('maintenance-due: refused keeps a car off for the cooldown; later brings it back on its day despite the cooldown', () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const out = path.join(dir, 'out');
    const run = cliFor(db, '2026-12-20 07:00');
    expect(cliFor(db, '2026-12-04 07:00')(['demo', '--size', 'small']).code).toBe(0);
    fs.copyFileSync(db, path.join(dir, 'before.db'));
    expect(run(['jobs', 'run', 'maintenance-due', '--date', '2026-12-04', '--out', out]).code).toBe(0);
    const d0 = readCsv(path.join(out, 'maintenance-due-2026-12-04.csv'));
    const pick = d0.filter((r) => Number(r.days_until_due) >= -30 && Number(r.days_until_due) <= 0);
    expect(pick.length).toBeGreaterThanOrEqual(2);
    const [p, q] = [pick[0]!.plate!, pick[1]!.plate!];
    expect(d0.every((r) => r.last_contact === '')).toBe(true);

    // listed on 12-04, so in its cooldown; the customer asks to be called on 12-06
    expect(run(['contact', 'record', '--list', 'maintenance-due', '--ref', p, '--result', 'later', '--later-at', '2026-12-06 10:00', '--at', '2026-12-04 11:00']).code).toBe(0);
    expect(run(['jobs', 'run', 'maintenance-due', '--date', '2026-12-06', '--out', out]).code).toBe(0);
    const d2 = readCsv(path.join(out, 'maintenance-due-2026-12-06.csv'));
    expect(d2.filter((r) => r.plate === p).map((r) => r.last_contact)).toEqual(['2026-12-04 11:00 later']);
    // every other car listed on 12-04 stays in its cooldown
    expect(d2.filter((r) => r.plate !== p && d0.some((x) => x.plate === r.plate))).toEqual([]);
    expect(run(['jobs', 'run', 'maintenance-due', '--date', '2026-12-07', '--out', out]).code).toBe(0);
    expect(readCsv(path.join(out, 'maintenance-due-2026-12-07.csv')).map((r) => r.plate)).not.toContain(p);

    // on a copy never listed: refused the day before keeps q off; later for another day keeps p off until then
    const other = cliFor(path.join(dir, 'before.db'), '2026-12-20 07:00');
    expect(other(['contact', 'record', '--list', 'maintenance-due', '--ref', q, '--result', 'refused', '--at', '2026-12-03 15:00']).code).toBe(0);
    expect(other(['contact', 'record', '--list', 'maintenance-due', '--ref', p, '--result', 'later', '--later-at', '2026-12-09 09:00', '--at', '2026-12-03 15:00']).code).toBe(0);
    const out2 = path.join(dir, 'out2');
    expect(other(['jobs', 'run', 'maintenance-due', '--date', '2026-12-04', '--out', out2]).code).toBe(0);
    const plates = readCsv(path.join(out2, 'maintenance-due-2026-12-04.csv')).map((r) => r.plate);
    expect(plates).not.toContain(q);
    expect(plates).not.toContain(p);
    expect(plates.length).toBe(d0.length - 2);
  }, 120_000);

  it('lapsed-customers: later lists the customer once more on that day', () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const out = path.join(dir, 'out');
    const past = cliFor(db, '2026-06-04 10:00');
    expect(past(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    expect(past(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
    expect(past(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q', '--no-input']).code).toBe(0);
    const run = cliFor(db, '2026-12-20 07:00');
    expect(run(['jobs', 'run', 'lapsed-customers', '--date', '2026-12-04', '--out', out]).code).toBe(0);
    expect(readCsv(path.join(out, 'lapsed-customers-2026-12-04.csv')).map((r) => r.phone)).toEqual(['13800000001']);
    expect(run(['contact', 'record', '--list', 'lapsed-customers', '--ref', '13800000001', '--result', 'later', '--later-at', '2026-12-08 10:00', '--at', '2026-12-04 10:00']).code).toBe(0);
    for (const d of ['2026-12-07', '2026-12-08', '2026-12-09']) expect(run(['jobs', 'run', 'lapsed-customers', '--date', d, '--out', out]).code).toBe(0);
    expect(readCsv(path.join(out, 'lapsed-customers-2026-12-07.csv'))).toEqual([]);
    expect(readCsv(path.join(out, 'lapsed-customers-2026-12-08.csv')).map((r) => [r.phone, r.last_contact])).toEqual([['13800000001', '2026-12-04 10:00 later']]);
    expect(readCsv(path.join(out, 'lapsed-customers-2026-12-09.csv'))).toEqual([]);
  }, 60_000);

  it('arrears: an outcome never takes money owed off the list', () => {
    const { run, at, dir } = desk();
    const out = path.join(dir, 'out');
    const ro = run(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q', '--no-input']).stdout.trim();
    expect(run(['order', 'fee', ro, '检测', '--price', '100', '-q']).code).toBe(0);
    for (const a of [['order', 'approve', ro], ['order', 'start', ro], ['order', 'qc', ro, '--pass'], ['order', 'deliver', ro]]) expect(run(a).code).toBe(0);
    expect(at('2026-11-21 10:00')(['contact', 'record', '--list', 'arrears', '--ref', ro, '--result', 'refused']).code).toBe(0);
    expect(at('2026-11-23 07:00')(['jobs', 'run', 'arrears', '--out', out]).code).toBe(0);
    expect(readCsv(path.join(out, 'arrears-2026-11-23.csv')).map((r) => [r.order_number, r.balance, r.last_contact])).toEqual([[ro, '100.00', '2026-11-21 10:00 refused']]);
  });
});

describe('the calling lists in callback-stats and report callbacks', () => {
  it('per list and month: rows listed, called, reached, and bookings within 14 days of the call', () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const out = path.join(dir, 'out');
    const past = cliFor(db, '2026-06-04 10:00');
    for (const [i, phone] of [[1, '13800000001'], [2, '13800000002'], [3, '13800000003']] as const) {
      expect(past(['customer', 'add', '--name', `客户${i}`, '--phone', phone, '-q']).code).toBe(0);
      expect(past(['vehicle', 'add', '--customer', String(i), '--plate', `京A1000${i}`, '--mileage', '50000', '-q']).code).toBe(0);
      expect(past(['order', 'open', '--plate', `京A1000${i}`, '--mileage', '50100', '-q', '--no-input']).code).toBe(0);
    }
    const run = cliFor(db, '2026-12-04 09:00');
    expect(run(['jobs', 'run', 'lapsed-customers', '--out', out]).stdout).toContain('3 rows');
    const at = (t: string) => cliFor(db, t);
    expect(at('2026-12-04 10:00')(['contact', 'record', '--list', 'lapsed-customers', '--ref', '13800000001', '--result', 'reached']).code).toBe(0);
    expect(at('2026-12-04 10:05')(['contact', 'record', '--list', 'lapsed-customers', '--ref', '13800000002', '--result', 'reached']).code).toBe(0);
    expect(at('2026-12-04 10:10')(['contact', 'record', '--list', 'lapsed-customers', '--ref', '13800000003', '--result', 'no_answer']).code).toBe(0);
    // customer 1 books 6 days after the call; customer 2 only 20 days after
    expect(at('2026-12-10 09:00')(['booking', 'add', '--plate', '京A10001', '--at', '2026-12-15 10:00', '-q']).code).toBe(0);
    expect(at('2026-12-24 09:00')(['booking', 'add', '--plate', '京A10002', '--at', '2026-12-28 10:00', '-q']).code).toBe(0);
    const jan = cliFor(db, '2027-01-02 08:00');
    expect(jan(['jobs', 'run', 'callback-stats', '--out', out]).code).toBe(0);
    const rows = readCsv(path.join(out, 'callback-stats-2026-12.csv')).filter((r) => r.metric!.startsWith('list_'));
    expect(rows).toEqual([
      { metric: 'list_rows', key: 'lapsed-customers', value: '3' },
      { metric: 'list_contacted', key: 'lapsed-customers', value: '3' },
      { metric: 'list_reached', key: 'lapsed-customers', value: '2' },
      { metric: 'list_booked_14d', key: 'lapsed-customers', value: '1' },
    ]);
    const report = jan(['report', 'callbacks', '--month', '2026-12']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/calling lists\nlist +listed +called +reached +booked ≤14 d +of called\nlapsed-customers +3 +3 +2 +1 +33\.3%\n/);
  });
});
