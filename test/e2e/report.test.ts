/** `pitstop report revenue|callbacks` through the built binary (TZ=America/New_York, shop in Asia/Shanghai). */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath, testCtx } from '../helpers.js';
import { at, customer, insert, order, vehicle } from '../integration/jobs-b-helpers.js';

const dbPath = tempDbPath();
const run = cliFor(dbPath, '2027-01-06 10:00');

beforeAll(async () => {
  const ctx = await testCtx('2027-01-06 10:00', dbPath);
  try {
    const wang = await insert(ctx, 'staff', { name: '王芳', role: 'advisor' });
    const c = await customer(ctx, '张三');
    const v1 = await vehicle(ctx, c, '京A00001', { model: '帕萨特' });
    const v2 = await vehicle(ctx, c, '京A00002', { model: 'Golf' });
    // W53: 帕萨特 300.00 (paid 100.00), Golf 100.00 (paid in the next week: not counted)
    const o1 = await order(ctx, v1, { opened: '2026-12-28 00:05', delivered: '2026-12-28 00:10', km: 1000, category: 'maintenance', advisor_id: wang, labor_cents: 30000, total_cents: 30000 });
    await insert(ctx, 'payments', { order_id: o1, amount_cents: 10000, method: 'cash', paid_at: at('2026-12-28 00:20') });
    const o2 = await order(ctx, v2, { opened: '2027-01-03 09:00', delivered: '2027-01-03 23:50', km: 1000, labor_cents: 10000, total_cents: 10000 });
    await insert(ctx, 'payments', { order_id: o2, amount_cents: 10000, method: 'cash', paid_at: at('2027-01-04 00:00') });
    await insert(ctx, 'callbacks', { order_id: o1, attempted_at: at('2027-01-01 10:00'), result: 'reached', q1: 5, q2: 4, q3: 5, q4: 5, q5: 4, reason: 'price', suggestion: '增加休息区' });
  } finally {
    await ctx.db.close();
  }
});

describe('pitstop report revenue', () => {
  it('prints the totals, one table per breakdown and bars', () => {
    const r = run(['report', 'revenue', '--week', '2026-W53']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('revenue 2026-W53 (2026-12-28 … 2027-01-03)');
    expect(r.stdout).toContain('2 orders, 2 vehicles · total 400.00 · paid 100.00 · outstanding 300.00 · average 200.00');
    const byModel = r.stdout.split('by model\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(byModel[1]).toMatch(/^帕萨特\s+1\s+1\s+300\.00\s+0\.00\s+0\.00\s+0\.00\s+300\.00\s+100\.00\s+200\.00\s+300\.00\s+█{24}$/);
    expect(byModel[2]).toMatch(/^Golf\s+1\s+1\s+100\.00 .* 100\.00\s+█{8}$/);
    expect(r.stdout).toContain('by advisor');
  });

  it('--json prints rows with _cents fields', () => {
    const r = run(['report', 'revenue', '--week', '2026-w53', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows[0]).toEqual({
      period: '2026-W53', dimension: 'total', key: 'all', orders: 2, vehicles: 2, labor_cents: 40000, parts_cents: 0, other_cents: 0,
      discount_cents: 0, total_cents: 40000, paid_cents: 10000, outstanding_cents: 30000, avg_order_cents: 20000,
    });
    expect(rows.map((x) => `${x.dimension}:${x.key}`)).toEqual(['total:all', 'category:maintenance', 'category:repair', 'model:帕萨特', 'model:Golf', 'advisor:王芳', 'advisor:unknown']);
  });

  it('--csv prints the job\'s CSV (BOM, CRLF); a month by --month; the default is last month', () => {
    const r = run(['report', 'revenue', '--month', '2027-01', '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '\uFEFFperiod,dimension,key,orders,vehicles,labor,parts,other,discount,total,paid,outstanding,avg_order\r\n' +
        '2027-01,total,all,1,1,100.00,0.00,0.00,0.00,100.00,100.00,0.00,100.00\r\n' +
        '2027-01,category,repair,1,1,100.00,0.00,0.00,0.00,100.00,100.00,0.00,100.00\r\n' +
        '2027-01,model,Golf,1,1,100.00,0.00,0.00,0.00,100.00,100.00,0.00,100.00\r\n' +
        '2027-01,advisor,unknown,1,1,100.00,0.00,0.00,0.00,100.00,100.00,0.00,100.00\r\n',
    );
    const d = run(['report', 'revenue', '--json']);
    expect((JSON.parse(d.stdout) as Array<{ period: string }>)[0]!.period).toBe('2026-12');
  });

  it('refuses bad periods and conflicting flags with exit 2', () => {
    for (const args of [['--week', '2026-W54'], ['--week', '2027-W53'], ['--month', '2026-13'], ['--week', '2026-W01', '--month', '2026-01'], ['--json', '--csv']]) {
      const r = run(['report', 'revenue', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^pitstop: /);
    }
    expect(run(['report', 'revenue', '--week', '2026-W54']).stderr).toContain('--week');
    expect(run(['report', 'callbacks', '--week', '2026-W01']).code).toBe(2);
  });
});

describe('pitstop report callbacks', () => {
  it('prints coverage, scores with bars and top lists', () => {
    const r = run(['report', 'callbacks', '--month', '2026-12']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 delivered · 1 reached · coverage 100.0% (customers reached after delivery; the follow-up target is at least 50%)');
    // the shop's words only: no "seeds" (the documents pitstop was built from)
    expect(r.stdout + r.stderr).not.toMatch(/seed/i);
    expect(r.stdout).toContain('satisfied 100.0%');
    expect(r.stdout).toMatch(/q2 speed of reception\s+4\.00\s+█{19}▎?/);
    expect(r.stdout).toMatch(/price\s+1\s+█{24}/);
    expect(r.stdout).toContain('增加休息区');
  });

  it('--json gives numbers, --csv the job file, a month with no deliveries has empty ratios', () => {
    const j = JSON.parse(run(['report', 'callbacks', '--month', '2026-12', '--json']).stdout) as Array<{ metric: string; key: string; value: number | null }>;
    expect(j.slice(0, 4)).toEqual([
      { metric: 'delivered_orders', key: '', value: 1 },
      { metric: 'reached', key: '', value: 1 },
      { metric: 'coverage_pct', key: '', value: 100 },
      { metric: 'avg_score', key: 'q1', value: 5 },
    ]);
    const c = run(['report', 'callbacks', '--month', '2026-11', '--csv']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('\uFEFFmetric,key,value\r\ndelivered_orders,,0\r\nreached,,0\r\ncoverage_pct,,\r\navg_score,q1,\r\navg_score,q2,\r\navg_score,q3,\r\navg_score,q4,\r\navg_score,q5,\r\nsatisfied_pct,,\r\n');
  });
});
