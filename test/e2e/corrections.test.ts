/** Corrections through the built binary (SPEC §10): exit codes and messages. Build first. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath } from '../helpers.js';

describe('order corrections through the CLI', () => {
  const db = tempDbPath();
  const at = (now: string) => cliFor(db, now);
  const run = at('2026-11-23 09:30');
  let ro = '';

  beforeAll(() => {
    const early = at('2026-06-01 10:00');
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '13800138000', '-q'],
      ['vehicle', 'add', '--customer', '13800138000', '--plate', '京A12345', '--mileage', '40000'],
      ['staff', 'add', '--name', '孙经理', '--role', 'manager,inspector'],
    ]) expect(early(args).code).toBe(0);
    ro = run(['order', 'open', '--plate', '京A12345', '--mileage', '45210', '-q', '--no-input']).stdout.trim();
    for (const args of [
      ['order', 'labor', ro, '保养', '--hours', '1'],
      ['order', 'part', ro, '机油', '--qty', '4', '--price', '68'],
      ['order', 'approve', ro],
    ]) expect(run(args).code).toBe(0);
  });

  it('line edit: approved → proposed again; wrong flag exit 2; unknown line exit 3', () => {
    const r = run(['order', 'line', 'edit', ro, '2', '--price', '70']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${ro}: line 2 272.00 → 280.00; proposed again: the customer must approve it; total 120.00; balance 120.00\n`);
    const bad = run(['order', 'line', 'edit', ro, '1', '--qty', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pitstop: invalid qty "2": a labor line takes --hours, --rate, --description/);
    const missing = run(['order', 'line', 'remove', ro, '7']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('7');
    expect(run(['order', 'approve', ro]).code).toBe(0);
  });

  it('edit, deliver, reopen (exit 4 when not delivered), refund (exit 4 naming the most), goodwill', () => {
    expect(run(['order', 'edit', ro, '--promised', '2026-11-23 18:00', '--key-tag', 'K1']).stdout).toBe(`${ro}: changed promised_at, key_tag\n`);
    const notDelivered = run(['order', 'reopen', ro, '--reason', 'x']);
    expect(notDelivered.code).toBe(4);
    expect(notDelivered.stderr).toMatch(/cannot reopen order RO-20261123-0001: it is approved/);
    expect(run(['order', 'start', ro]).code).toBe(0);
    expect(run(['order', 'qc', ro, '--pass']).code).toBe(0);
    expect(run(['order', 'deliver', ro, '--paid', '400', '--method', 'cash']).code).toBe(0);
    const later = at('2026-11-24 10:00');
    expect(later(['order', 'reopen', ro, '--reason', '机油加多了']).stdout).toMatch(/reopened, in_progress \(rework 1\)/);
    expect(later(['order', 'line', 'edit', ro, '2', '--qty', '3']).code).toBe(0);
    expect(later(['order', 'approve', ro]).code).toBe(0);
    const tooMuch = later(['order', 'refund', ro, '--amount', '100', '--method', 'cash', '--reason', '多收']);
    expect(tooMuch.code).toBe(4);
    expect(tooMuch.stderr).toMatch(/at most 70\.00/);
    expect(later(['order', 'refund', ro, '--amount', '70', '--method', 'cash', '--reason', '多收']).stdout).toBe(`${ro}: refunded; total 330.00, paid 330.00, balance 0.00\n`);
    const gw = later(['order', 'refund', ro, '--amount', '30', '--method', 'cash', '--reason', '致歉', '--goodwill', '--by', '孙经理']);
    expect(gw.stdout).toBe(`${ro}: refunded; total 300.00, paid 300.00, balance 0.00\n`);
    const show = later(['order', 'show', ro]);
    expect(show.stdout).toMatch(/refund — 多收/);
    expect(show.stdout).toMatch(/reopened/);
  });
});

describe('archive corrections through the CLI', () => {
  const db = tempDbPath();
  const run = cliFor(db, '2026-06-01 10:00');

  beforeAll(() => {
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '13800138000'],
      ['customer', 'add', '--name', '张三', '--phone', '13800138001'],
      ['vehicle', 'add', '--customer', '1', '--plate', '京A12345'],
      ['staff', 'add', '--name', '刘回访', '--role', 'agent'],
    ]) expect(run(args).code).toBe(0);
  });

  it('several name matches: listed, exit 4; merge into itself exit 2; the merged phone finds the survivor', () => {
    const many = run(['customer', 'show', '张三']);
    expect(many.code).toBe(4);
    expect(many.stdout).toBe('');
    expect(many.stderr).toBe('pitstop: 2 customers are named "张三": give the id (--customer ID)\n  1  张三  13800138000\n  2  张三  13800138001\n');
    const self = run(['customer', 'merge', '13800138000', '--into', '1']);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/cannot be merged into itself/);
    const m = run(['customer', 'merge', '13800138000', '--into', '2']);
    expect(m).toMatchObject({ code: 0, stderr: '' });
    expect(m.stdout).toBe('merged customer 1 (张三 13800138000) into 2 (张三 13800138001): moved 1 vehicles, 0 orders, 0 bookings, 0 complaints\n');
    const show = JSON.parse(run(['customer', 'show', '138 0013 8000', '--json']).stdout);
    expect(show.customer.id).toBe(2);
    expect(run(['customer', 'show', '张三', '--json']).code).toBe(0);
    expect(JSON.parse(run(['order', 'list', '--customer', '张三', '--json']).stdout)).toEqual([]);
  });

  it('vehicle and staff reactivate', () => {
    expect(run(['vehicle', 'deactivate', '京A12345']).code).toBe(0);
    expect(run(['vehicle', 'reactivate', '京A12345']).stdout).toBe('reactivated vehicle 京A12345\n');
    expect(run(['staff', 'deactivate', '刘回访']).code).toBe(0);
    expect(run(['staff', 'reactivate', '刘回访']).stdout).toBe('reactivated staff 刘回访\n');
    expect(run(['callback', 'amend', '5', '--comment', 'x']).code).toBe(3);
  });
});

describe('pitstop board through the CLI', () => {
  it('prints the open orders with time left or overdue and the ones to check', () => {
    const db = tempDbPath();
    const early = cliFor(db, '2026-06-01 10:00');
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '13800138000'],
      ['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '40000'],
    ]) expect(early(args).code).toBe(0);
    expect(cliFor(db, '2026-11-23 08:00')(['order', 'open', '--plate', '京A12345', '--mileage', '45000', '--promised', '2026-11-23 10:00', '-q']).code).toBe(0);
    const r = cliFor(db, '2026-11-23 11:30')(['board']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^board at 2026-11-23 11:30: 1 open order\(s\), 1 overdue, 1 to check\n/);
    expect(r.stdout).toMatch(/RO-20261123-0001 .*OVERDUE 1h 30m/);
    const j = JSON.parse(cliFor(db, '2026-11-23 09:00')(['board', '--json']).stdout);
    expect(j.orders[0]).toMatchObject({ number: 'RO-20261123-0001', minutes_left: 60, overdue: false, check: false });
    expect(cliFor(db, '2026-11-23 09:00')(['board', '--date', '2026-02-30']).code).toBe(2);
  });
});
