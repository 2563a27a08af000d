/**
 * Issue 13.7: phone numbers typed into free text are masked in exports and job lists, a masked list
 * never replaces an unmasked one, screen output can be masked (flag or privacy.mask_phone), and every
 * export and list with phones is audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';

const FULL = /(?<!\d)1[3-9]\d{9}(?!\d)/;

function shop() {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db, '2026-11-23 09:30');
  for (const args of [
    ['customer', 'add', '--name', '张三', '--phone', '13800000001', '--note', '家属电话 139 0000 0002', '-q'],
    ['vehicle', 'add', '--customer', '13800000001', '--plate', '京A12345', '--mileage', '40000', '-q'],
    ['booking', 'add', '--plate', '京A12345', '--at', '2026-11-24 10:00', '--complaint', '异响，到了打13700000003', '-q'],
  ]) {
    const r = run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return { dir, db, run };
}

/** shop() with an open order and a complaint whose texts carry phone numbers. */
function busyShop() {
  const { dir, db, run } = shop();
  for (const args of [
    ['order', 'open', '--plate', '京A12345', '--mileage', '40100', '--complaint', '车主不在，联系13500000005', '--no-input', '-q'],
    ['complaint', 'add', '--customer', '13800000001', '--description', '请经理回电 136-0000-0004'],
  ]) {
    const r = run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return { dir, db, run };
}

const audits = (run: ReturnType<typeof cliFor>) =>
  (JSON.parse(run(['audit', '--json', '--limit', '50']).stdout) as Array<{ actor: string; action: string; entity: string; details: Record<string, unknown> }>)
    .filter((a) => a.action === 'export' || a.action === 'list');

describe('free text in exports and job lists', () => {
  it('export --mask-phone masks numbers typed into the customer note and the booking complaint', () => {
    const { dir, run } = shop();
    for (const table of ['customers', 'bookings']) {
      const file = path.join(dir, `${table}.csv`);
      expect(run(['export', table, '--out', file, '--mask-phone']).code).toBe(0);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toMatch(FULL);
      expect(text).toMatch(/138\*\*\*\*0001|139\*\*\*\*0002|137\*\*\*\*0003/);
    }
    expect(fs.readFileSync(path.join(dir, 'customers.csv'), 'utf8')).toContain('家属电话 139****0002');
  });

  it('the preparation list masked is preparation-<D>-masked.csv; an unmasked run of the same day does not replace it', () => {
    const { dir, run } = shop();
    const out = path.join(dir, 'lists');
    fs.mkdirSync(out);
    const masked = run(['jobs', 'run', 'preparation', '--out', out, '--mask-phone']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).toContain('preparation-2026-11-23-masked.csv');
    const plain = run(['jobs', 'run', 'preparation', '--out', out]);
    expect(plain.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['preparation-2026-11-23-masked.csv', 'preparation-2026-11-23.csv']);
    const maskedText = fs.readFileSync(path.join(out, 'preparation-2026-11-23-masked.csv'), 'utf8');
    expect(maskedText).toContain('异响,到了打137****0003'); // NFKC made the comma half-width
    expect(maskedText).not.toMatch(FULL);
    expect(fs.readFileSync(path.join(out, 'preparation-2026-11-23.csv'), 'utf8')).toContain('13700000003');
  });

  it('every export and every list with phones is audited: who, what, how many rows, where, masked or not', () => {
    const { dir, run } = shop();
    const out = path.join(dir, 'lists');
    fs.mkdirSync(out);
    expect(run(['export', 'customers', '--out', path.join(dir, 'c.csv')], { PITSTOP_USER: 'wang' }).code).toBe(0);
    expect(run(['export', 'customers', '--mask-phone'], { PITSTOP_USER: 'li' }).code).toBe(0);
    expect(run(['jobs', 'run', 'appointment-reminders', '--out', out, '--mask-phone'], { PITSTOP_USER: 'zhao' }).code).toBe(0);
    expect(run(['jobs', 'run', 'revenue-weekly', '--out', out]).code).toBe(0); // no phones: not audited
    const rows = audits(run).reverse();
    expect(rows.map((a) => [a.actor, a.action, a.entity, a.details.rows, a.details.masked])).toEqual([
      ['wang', 'export', 'customers', 1, false],
      ['li', 'export', 'customers', 1, true],
      ['zhao', 'list', 'appointment-reminders', 1, true],
    ]);
    expect(rows[0]!.details.to).toBe(path.join(dir, 'c.csv'));
    expect(rows[1]!.details.to).toBe('stdout');
    expect(rows[2]!.details.to).toBe(path.join(out, 'appointment-reminders-2026-11-23-masked.csv'));
  });
});

describe('screen output', () => {
  it('--mask-phone on the commands that print phones; privacy.mask_phone masks by default; --no-mask-phone overrides', () => {
    const { run } = busyShop();
    const commands = [
      ['order', 'show', 'RO-20261123-0001'], ['order', 'show', 'RO-20261123-0001', '--json'], ['complaint', 'list'], ['complaint', 'list', '--json'],
      ['customer', 'list'], ['customer', 'show', '13800000001'], ['customer', 'list', '--json'], ['vehicle', 'show', '京A12345'],
      ['vehicle', 'list'], ['booking', 'list', '--date', '2026-11-24'], ['booking', 'show', '1', '--json'], ['audit', '--json'],
    ];
    for (const args of commands) {
      const plain = run(args);
      expect(plain.code, `${args.join(' ')}: ${plain.stderr}`).toBe(0);
      const masked = run([...args, '--mask-phone']);
      expect(masked.code).toBe(0);
      expect(masked.stdout, args.join(' ')).not.toMatch(FULL);
      if (FULL.test(plain.stdout)) expect(masked.stdout, args.join(' ')).toMatch(/1[3-9]\d\*\*\*\*\d{4}/);
    }
    expect(run(['customer', 'show', '13800000001']).stdout).toContain('13800000001');
    expect(run(['config', 'set', 'privacy.mask_phone', 'true']).code).toBe(0);
    for (const args of commands) expect(run(args).stdout, args.join(' ')).not.toMatch(FULL);
    expect(run(['customer', 'show', '13800000001', '--no-mask-phone']).stdout).toContain('13800000001');
    expect(run(['config', 'set', 'privacy.mask_phone', 'maybe']).code).toBe(2);
  });
});
