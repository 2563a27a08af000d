/**
 * One whole visit through the built binary (TZ is New York, the shop is in Shanghai), and each refusal
 * with its exit code and message. Build first: `npx tsc -p tsconfig.json`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath } from '../helpers.js';

describe('order: a whole visit through the CLI', () => {
  const db = tempDbPath();
  const at = (now: string) => cliFor(db, now);
  const run = at('2026-11-23 09:30');
  let ro = '';

  beforeAll(() => {
    const early = at('2026-06-01 10:00');
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '138 0013 8000', '-q'],
      ['vehicle', 'add', '--customer', '13800138000', '--plate', '京a12345', '--mileage', '40000'],
      ['staff', 'add', '--name', '李顾问', '--role', 'advisor'],
      ['staff', 'add', '--name', '王技师', '--role', 'technician,inspector'],
      ['staff', 'add', '--name', '孙经理', '--role', 'manager'],
    ]) {
      const r = early(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('opens, quotes, approves, works, fails and passes QC, delivers with part payment, collects the rest', () => {
    const open = run(['order', 'open', '--plate', '京A12345', '--mileage', '45210', '--complaint', '刹车异响', '--fuel', '1/2',
      '--advisor', '李顾问', '--promised', '2026-11-23 17:00', '--call-window', '09:00-12:00', '--key-tag', 'K07', '-q', '--no-input']);
    expect(open).toMatchObject({ code: 0, stderr: '' });
    ro = open.stdout.trim();
    expect(ro).toBe('RO-20261123-0001'); // the Shanghai day, although New York is still on the 22nd

    const labor = run(['order', 'labor', ro, '更换刹车片', '--hours', '1.5', '--rate', '33.33']);
    expect(labor.code).toBe(0);
    expect(labor.stdout).toBe(`${ro} line 1: labor 更换刹车片 50.00 (proposed)\n`);
    expect(run(['order', 'part', ro, '刹车片', '--qty', '1', '--price', '380', '--grade', 'aftermarket', '--part-no', 'BP-9']).code).toBe(0);
    expect(run(['order', 'part', ro, '自带机油', '--qty', '4', '--customer-supplied']).stdout).toContain('customer-supplied, no warranty');
    expect(run(['order', 'fee', ro, '洗车', '--price', '30', '-q']).stdout).toBe('4\n');

    const approve = run(['order', 'approve', ro, '--lines', '1,2,3', '--by', '张三']);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('estimate 430.00 signed');
    const decline = run(['order', 'decline', ro, '--lines', '4', '--reason', '不需要']);
    expect(decline.stdout).toMatch(/declined line\(s\) 4; open finding\(s\) F1/);
    expect(run(['order', 'start', ro, '--tech', '王技师']).stdout).toBe(`${ro}: in_progress\n`);
    const extra = at('2026-11-23 11:00')(['order', 'labor', ro, '更换雨刷', '--hours', '0.5']);
    expect(extra.stdout).toContain('additional work');
    expect(at('2026-11-23 11:05')(['order', 'approve', ro]).stdout).toContain('additional work approved; total 490.00');

    const fail = at('2026-11-23 15:00')(['order', 'qc', ro, '--fail', '--note', '异响仍在']);
    expect(fail).toMatchObject({ code: 0, stdout: `${ro}: QC failed, back to work (rework 1)\n` });
    const pass = at('2026-11-23 16:00')(['order', 'qc', ro, '--pass', '--inspector', '王技师', '--road-test']);
    expect(pass.stdout).toBe(`${ro}: QC passed, ready for delivery\n`);
    expect(run(['order', 'discount', ro, '--amount', '20', '--by', '孙经理']).stdout).toContain('total 470.00');

    const deliver = at('2026-11-23 17:30')(['order', 'deliver', ro, '--paid', '300', '--method', 'wechat']);
    expect(deliver).toMatchObject({ code: 0, stderr: '' });
    expect(deliver.stdout).toBe(
      `${ro}: delivered; total 470.00, paid 300.00; balance 170.00 owed (arrears 欠款)\n` +
      'settlement check: final 470.00 exceeds the signed estimate 430.00 by 40.00 — added after approval: #5 更换雨刷 60.00\n',
    );

    const unpaid = at('2026-11-24 09:00')(['order', 'list', '--unpaid', '--json']);
    expect(JSON.parse(unpaid.stdout)).toEqual([expect.objectContaining({ number: ro, balance_cents: 17000, total_cents: 47000, paid_cents: 30000 })]);

    const pay = at('2026-11-25 10:00')(['order', 'pay', ro, '--amount', '170', '--method', 'cash']);
    expect(pay.stdout).toBe(`${ro}: paid 470.00 of 470.00; balance 0.00\n`);
    expect(JSON.parse(at('2026-11-25 10:00')(['order', 'list', '--unpaid', '--json']).stdout)).toEqual([]);

    const show = at('2026-11-25 10:00')(['order', 'show', ro]);
    expect(show.code).toBe(0);
    const text = show.stdout;
    expect(text).toMatch(/status\s+delivered \(QC failed 1×, rework\)/);
    expect(text).toMatch(/opened\s+2026-11-23 09:30 at 45210 km/);
    expect(text).toMatch(/promised\s+2026-11-23 17:00/);
    expect(text).toMatch(/2\s+part\s+刹车片 \[BP-9\].*NO QUALITY GUARANTEE/);
    expect(text).toMatch(/3\s+part\s+自带机油.*customer-supplied, no warranty; NO QUALITY GUARANTEE/);
    expect(text).toMatch(/estimate \(signed\)\s+430.00/);
    expect(text).toMatch(/settlement check\s+final 470.00 exceeds the estimate by 40.00/);
    expect(text).toMatch(/added after approval\s+#5 更换雨刷 60.00/);
    expect(text).toMatch(/balance\s+0.00/);
    expect(text).toMatch(/2026-11-23 15:00\s+qc_fail\s+note 异响仍在/);

    const json = JSON.parse(at('2026-11-25 10:00')(['order', 'show', ro, '--json']).stdout);
    expect(json.order).toMatchObject({ number: ro, status: 'delivered', total_cents: 47000, paid_cents: 47000, estimate_cents: 43000, qc_failures: 1, plate: '京A12345' });
    expect(json.payments.map((p: { method: string }) => p.method)).toEqual(['wechat', 'cash']);

    // the declined wash is remembered on the vehicle and raised at the next check-in
    expect(run(['vehicle', 'show', '京A12345']).stdout).toMatch(/findings not yet fixed \(1\)[\s\S]*RO-20261123-0001\s+洗车/);
    const next = at('2026-12-10 09:00')(['order', 'open', '--plate', '京A12345', '--mileage', '46000']);
    expect(next.code).toBe(0);
    expect(next.stdout).toBe('opened RO-20261210-0001 for 京A12345 at 46000 km\n');
    expect(next.stderr).toContain('warning: repeat repair — 京A12345 was delivered from RO-20261123-0001 17 day(s) ago');
    expect(next.stderr).toContain('F1  洗车  (RO-20261123-0001)');
  });

  it('refuses with the right exit code and a message naming the problem', () => {
    const later = at('2026-12-10 10:00');
    const cases: Array<[string[], number, RegExp]> = [
      [['order', 'open', '--plate', '京A12345', '--no-input'], 2, /^pitstop: missing required --mileage\n$/],
      [['order', 'open', '--mileage', '100', '--no-input'], 2, /^pitstop: missing required --plate \(or --booking\)\n$/],
      [['order', 'open', '--plate', '京A12345', '--mileage', 'lots'], 2, /invalid mileage "lots"/],
      [['order', 'open', '--plate', '京B00000', '--mileage', '100'], 3, /vehicle "京B00000" not found/],
      [['order', 'open', '--plate', '京A12345', '--mileage', '46100'], 4, /already has order RO-20261210-0001 \(open\)/],
      [['order', 'show', 'RO-20261210-0099'], 3, /order "RO-20261210-0099" not found/],
      [['order', 'show', 'nonsense'], 2, /invalid order "nonsense"/],
      [['order', 'labor', 'RO-20261210-0001', '检查'], 2, /missing required --hours/],
      [['order', 'labor', 'RO-20261210-0001'], 2, /missing required argument 'description'/],
      [['order', 'part', 'RO-20261210-0001', '滤芯', '--qty', '1', '--price', '12.345'], 2, /invalid price "12.345"/],
      [['order', 'start', 'RO-20261210-0001'], 4, /cannot start work on order RO-20261210-0001: it is open/],
      [['order', 'deliver', 'RO-20261210-0001'], 4, /cannot deliver order RO-20261210-0001: it is open/],
      [['order', 'qc', 'RO-20261210-0001'], 2, /missing required --pass or --fail/],
      [['order', 'approve', 'RO-20261210-0001'], 4, /no proposed lines to approve/],
      [['order', 'decline', 'RO-20261210-0001'], 2, /missing required --lines/],
      [['order', 'discount', 'RO-20261123-0001', '--amount', '5', '--by', '李顾问'], 4, /cannot change order RO-20261123-0001: it is delivered/],
      [['order', 'pay', 'RO-20261123-0001', '--amount', '1', '--method', 'cash'], 4, /more than the balance 0.00/],
      [['order', 'cancel', 'RO-20261123-0001'], 4, /cannot cancel order RO-20261123-0001: it is delivered/],
      [['order', 'list', '--status', 'done'], 2, /invalid status "done"/],
      [['order', 'list', '--limit', '0'], 2, /limit/],
    ];
    for (const [args, code, message] of cases) {
      const r = later(args);
      expect({ args, code: r.code, stdout: r.stdout }, r.stderr).toEqual({ args, code, stdout: '' });
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('a refused delivery or payment writes nothing', () => {
    const now = at('2026-12-10 11:00');
    const n = 'RO-20261210-0001';
    expect(now(['order', 'fee', n, '检测', '--price', '100']).code).toBe(0);
    expect(now(['order', 'approve', n]).code).toBe(0);
    expect(now(['order', 'start', n]).code).toBe(0);
    expect(now(['order', 'qc', n, '--pass']).code).toBe(0);
    expect(now(['order', 'labor', n, '复查', '--hours', '0.5']).code).toBe(0);
    const before = now(['order', 'show', n, '--json']).stdout;
    const refused = now(['order', 'deliver', n, '--paid', '100', '--method', 'cash']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(`pitstop: order ${n} has proposed lines 2: approve or decline them before delivery\n`);
    expect(now(['order', 'show', n, '--json']).stdout).toBe(before);
    expect(now(['order', 'decline', n, '--lines', '2']).code).toBe(0);
    const mid = now(['order', 'show', n, '--json']).stdout;
    const over = now(['order', 'pay', n, '--amount', '100.01', '--method', 'cash']);
    expect(over).toMatchObject({ code: 4, stderr: `pitstop: payment 100.01 is more than the balance 100.00 of order ${n}\n` });
    expect(now(['order', 'show', n, '--json']).stdout).toBe(mid);
    expect(JSON.parse(mid).payments).toEqual([]);
  });
});
