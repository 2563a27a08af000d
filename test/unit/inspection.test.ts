/** Issue 16: inspection thresholds, values, --set, image sniffing and remaining life (SPEC §12, §16). */
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_ITEMS, closeNames, colourOf, findItem, imageTypeOf, parseSet, parseTemplateItem, parseValue, remainingLife, severityOf,
} from '../../src/domain/inspection.js';
import { declinedWorkRows, followUpDay, type DeclinedCandidate } from '../../src/domain/jobs/declined-work.js';

const pad = BUILTIN_ITEMS.find((i) => i.item === '前制动片')!;
const age = BUILTIN_ITEMS.find((i) => i.item === '轮胎年限')!;
const wiper = BUILTIN_ITEMS.find((i) => i.item === '雨刮片')!;

describe('thresholds', () => {
  it.each([
    [5, 'green'], [4.01, 'green'], [4, 'yellow'], [3.5, 'yellow'], [3, 'red'], [0, 'red'],
  ] as const)('pad %s mm is %s (higher is better)', (v, c) => expect(colourOf(pad, v, null)).toBe(c));
  it.each([[2, 'green'], [5, 'yellow'], [6, 'red'], [9, 'red']] as const)('tyre age %s years is %s (lower is better)', (v, c) => expect(colourOf(age, v, null)).toBe(c));
  it('pass/fail: fail is red', () => {
    expect(colourOf(wiper, null, true)).toBe('green');
    expect(colourOf(wiper, null, false)).toBe('red');
  });
  it('red is safety, yellow advised, green nothing', () => {
    expect([severityOf('red'), severityOf('yellow'), severityOf('green')]).toEqual(['safety', 'advised', null]);
  });
  it('the built-in template has about 30 points, each once', () => {
    expect(BUILTIN_ITEMS.length).toBeGreaterThanOrEqual(28);
    expect(new Set(BUILTIN_ITEMS.map((i) => i.item)).size).toBe(BUILTIN_ITEMS.length);
  });
});

describe('values', () => {
  it('a value outside min–max is exit 2 naming the item and the value', () => {
    const tread = BUILTIN_ITEMS.find((i) => i.item === '左前轮胎花纹')!;
    for (const bad of ['40', '-1', 'abc']) {
      let err: unknown;
      try { parseValue(tread, bad); } catch (e) { err = e; }
      expect((err as { exitCode: number }).exitCode).toBe(2);
      expect((err as Error).message).toContain('左前轮胎花纹');
      expect((err as Error).message).toContain(bad);
    }
    expect(parseValue(tread, '0').value).toBe(0);
  });
  it('pass/fail words', () => {
    expect(parseValue(wiper, 'pass').passed).toBe(true);
    expect(parseValue(wiper, '不合格').passed).toBe(false);
    expect(() => parseValue(wiper, 'maybe')).toThrow(/雨刮片/);
  });
  it('--set ITEM=VALUE[:note]', () => {
    expect(parseSet('前制动片=3.5')).toEqual({ item: '前制动片', value: '3.5', note: null });
    expect(parseSet('雨刮片=fail:左侧: 老化')).toEqual({ item: '雨刮片', value: 'fail', note: '左侧: 老化' });
    expect(() => parseSet('前制动片')).toThrow(/--set/);
  });
  it('an unknown item is exit 3 listing close names', () => {
    let err: unknown;
    try { findItem(BUILTIN_ITEMS, '前刹车片', '常规检查'); } catch (e) { err = e; }
    expect((err as { exitCode: number }).exitCode).toBe(3);
    expect((err as Error).message).toContain('前制动片');
    expect(closeNames('制动片', BUILTIN_ITEMS.map((i) => i.item))).toEqual(expect.arrayContaining(['前制动片', '后制动片']));
  });
  it('template rows are checked', () => {
    const ok = parseTemplateItem({ item: '刹车片', group: '制动', kind: 'measure', unit: 'mm', better: 'higher', yellow_at: '4', red_at: '3', min: '0', max: '20', wear_per_1000km: '0.2' }, 2);
    expect(ok).toMatchObject({ item: '刹车片', red_at: 3, wear_per_1000km: 0.2 });
    expect(() => parseTemplateItem({ item: 'x', kind: 'measure', better: 'higher', yellow_at: '2', red_at: '3' }, 3)).toThrow(/yellow_at \(line 3\)/);
    expect(() => parseTemplateItem({ item: 'x', kind: 'gauge' }, 4)).toThrow(/kind \(line 4\)/);
  });
});

describe('images by their first bytes', () => {
  const b = (...x: Array<number | string>) => Uint8Array.from(x.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])));
  it.each([
    [b(0xff, 0xd8, 0xff, 0xe0), 'jpeg'],
    [b(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a), 'png'],
    [b('RIFF', 0, 0, 0, 0, 'WEBP'), 'webp'],
    [b(0, 0, 0, 24, 'ftypheic'), 'heic'],
    [b('hello world'), null],
    [b(), null],
  ])('%#', (head, type) => expect(imageTypeOf(head)).toBe(type));
});

describe('remaining life', () => {
  const item = { better: 'higher' as const, red_at: 3, wear_per_1000km: 0.25 };
  it('no measurement: none', () => expect(remainingLife(item, [])).toBeNull());
  it('one reading: the template\'s typical wear', () => {
    expect(remainingLife(item, [{ km: 30000, value: 8 }])).toEqual({ km: 20000, basis: 'template', wear_per_1000km: 0.25 });
  });
  it('several readings: this car\'s own wear (first to last since fitting)', () => {
    // 10 → 8 over 10 000 km: 0.2 mm per 1 000 km; 8 − 3 = 5 mm left → 25 000 km
    expect(remainingLife(item, [{ km: 20000, value: 10 }, { km: 25000, value: 9 }, { km: 30000, value: 8 }])).toEqual({ km: 25000, basis: 'own', wear_per_1000km: 0.2 });
  });
  it('a new pad fitted between readings: only readings since then count, wear never negative', () => {
    // 6 → 3.5 (worn), then a new pad at 12: one reading since the fit → typical wear
    expect(remainingLife(item, [{ km: 10000, value: 6 }, { km: 20000, value: 3.5 }, { km: 25000, value: 12 }])).toEqual({ km: 36000, basis: 'template', wear_per_1000km: 0.25 });
    const r = remainingLife(item, [{ km: 20000, value: 3.5 }, { km: 25000, value: 12 }, { km: 35000, value: 10 }])!;
    expect(r).toEqual({ km: 35000, basis: 'own', wear_per_1000km: 0.2 });
  });
  it('past the red threshold: 0, never negative', () => {
    expect(remainingLife(item, [{ km: 30000, value: 2 }])!.km).toBe(0);
  });
  it('no wear to go by (same value, or not a wearing item): template or nothing', () => {
    expect(remainingLife(item, [{ km: 20000, value: 8 }, { km: 30000, value: 8 }])!.basis).toBe('template');
    expect(remainingLife({ ...item, wear_per_1000km: null }, [{ km: 1, value: 8 }])).toBeNull();
    expect(remainingLife({ better: 'lower', red_at: 6, wear_per_1000km: 1 }, [{ km: 1, value: 2 }])).toBeNull();
  });
});

describe('declined-work plan', () => {
  const toDay = (iso: string) => iso.slice(0, 10); // UTC days are enough for the pure rule
  const c = (o: Partial<DeclinedCandidate>): DeclinedCandidate => ({
    id: 1, vehicle_id: 1, plate: '京A1', model: null, customer_name: 'a', phone: '1', item: 'x', severity: 'advised',
    created_at: '2026-11-01T02:00:00.000Z', follow_up_on: null, closed_at: '2026-11-01T08:00:00.000Z', order_number: 'RO-1',
    order_opened_at: '2026-11-01T01:00:00.000Z', estimate_cents: 0, ...o,
  });
  it('follow-up day: as set, else follow_up_days after delivery/cancellation, none while open', () => {
    expect(followUpDay(c({ follow_up_on: '2026-11-05' }), 14, toDay)).toBe('2026-11-05');
    expect(followUpDay(c({}), 14, toDay)).toBe('2026-11-15');
    expect(followUpDay(c({ closed_at: null }), 14, toDay)).toBeNull();
  });
  it('one row per vehicle: items joined, worst severity, oldest found_on, latest order, summed estimate; safety first then oldest', () => {
    const rows = declinedWorkRows([
      c({ id: 1, vehicle_id: 1, plate: '京A1', item: '雨刮', estimate_cents: 5000 }),
      c({ id: 2, vehicle_id: 1, plate: '京A1', item: '刹车片', severity: 'safety', created_at: '2026-11-03T02:00:00.000Z', order_number: 'RO-2', order_opened_at: '2026-11-03T01:00:00.000Z', closed_at: '2026-11-03T08:00:00.000Z', estimate_cents: 30000 }),
      c({ id: 3, vehicle_id: 2, plate: '京B2', item: '机油', created_at: '2026-10-20T02:00:00.000Z' }),
      c({ id: 4, vehicle_id: 3, plate: '京C3', item: '未到期', closed_at: '2026-11-10T08:00:00.000Z' }),
    ], '2026-11-17', 14, toDay);
    expect(rows.map(({ _subject, ...r }) => r)).toEqual([
      { plate: '京A1', model: '', customer_name: 'a', phone: '1', items: '雨刮;刹车片', severity: 'safety', found_on: '2026-11-01', order_number: 'RO-2', estimate: 35000, days_open: 16, last_contact: '' },
      { plate: '京B2', model: '', customer_name: 'a', phone: '1', items: '机油', severity: 'advised', found_on: '2026-10-20', order_number: 'RO-1', estimate: 0, days_open: 28, last_contact: '' },
    ]);
  });
});
