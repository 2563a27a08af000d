/** What goes on each document, from an order (SPEC §11): the pure model, no I/O. */
import { describe, expect, it } from 'vitest';
import { estimateDocument, releaseDocument, settlementDocument, type DocLine, type DocOrderData, type DocSection } from '../../src/domain/documents.js';
import { escapeHtml, renderDocumentHtml } from '../../src/domain/documents-html.js';

const line = (over: Partial<DocLine>): DocLine => ({
  line_no: 1, kind: 'labor', description: '更换刹车片', part_no: null, qty_milli: null, hours_centi: 150, unit_price_cents: 12000, amount_cents: 18000,
  status: 'approved', additional: 0, customer_supplied: 0, grade: null, decline_reason: null, removed_at: null, no_quality_guarantee: false, ...over,
});

const data = (over: Partial<DocOrderData> = {}): DocOrderData => ({
  order: {
    number: 'RO-20261123-0001', status: 'delivered', category: 'repair', opened_at: '2026-11-23T01:05:00.000Z', mileage_in: 50100, fuel: '1/2', belongings: null,
    damage: null, key_tag: null, complaint: '异响', promised_at: null, ready_at: '2026-11-23T07:30:00.000Z', delivered_at: '2026-11-23T08:00:00.000Z', road_test: 1,
    discount_cents: 1000, plate: '京A12345', vin: null, make: '大众', model: '帕萨特', customer_name: '张三', phone: '13800000001', advisor: '李顾问', technician: '王师傅', inspector: '赵质检',
  },
  lines: [
    line({}),
    line({ line_no: 2, kind: 'part', description: '机油', hours_centi: null, qty_milli: 4500, unit_price_cents: 6880, amount_cents: 30960, grade: 'aftermarket', no_quality_guarantee: true }),
    line({ line_no: 3, kind: 'part', description: '滤芯', hours_centi: null, qty_milli: 1000, unit_price_cents: 0, amount_cents: 0, customer_supplied: 1, no_quality_guarantee: true }),
    line({ line_no: 4, description: '换轮胎', status: 'declined', decline_reason: '下次' }),
    line({ line_no: 5, description: '删掉的', removed_at: '2026-11-23T02:00:00.000Z' }),
  ],
  totals: { labor_cents: 18000, parts_cents: 30960, fees_cents: 0, total_cents: 47960, proposed_cents: 0, paid_cents: 40000, balance_cents: 7960 },
  settlement: { estimate_cents: 40000, final_cents: 47960, difference_cents: 7960, exceeds: true, extra_lines: [{ line_no: 2, description: '机油', amount_cents: 30960 }] },
  payments: [{ paid_at: '2026-11-23T08:00:00.000Z', method: 'wechat', amount_cents: 40000 }],
  openFindings: [{ label: 'F4', description: '换轮胎', severity: 'safety', order_number: 'RO-20261123-0001', created_at: '2026-11-23T01:30:00.000Z' }],
  inspection: [
    { item: '前制动片', group: '制动', value: 2.5, passed: null, unit: 'mm', colour: 'red', note: null, remaining_life: { km: 0, basis: 'template' } },
    { item: '后制动片', group: '制动', value: 8, passed: null, unit: 'mm', colour: 'green', note: null, remaining_life: { km: 26667, basis: 'own' } },
    { item: '喇叭', group: '其他', value: null, passed: true, unit: null, colour: 'green', note: null, remaining_life: null },
  ],
  signatures: [{ role: 'customer', what: 'delivery', name: '张三', signed_at: '2026-11-23T08:00:00.000Z' }],
  nextService: { due_on: '2027-05-23', due_km: 55100 },
  ...over,
});

const S = { shop: { name: '店', address: '地址', phone: '010' }, tz: 'Asia/Shanghai', warrantyDays: 90, warrantyKm: 5000 };
const section = (sections: DocSection[], title: string) => sections.find((s) => s.title === title);

describe('estimate', () => {
  it('every line but removed ones, with status; totals; the no-guarantee lines named in the disclaimer', () => {
    const doc = estimateDocument(data(), S, 'zh-CN');
    const lines = section(doc.sections, '维修项目') as Extract<DocSection, { kind: 'table' }>;
    expect(lines.rows.map((r) => [r[0], r[1], r[5], r[6]])).toEqual([
      ['1', '更换刹车片', '180.00', '同意维修'], ['2', '机油', '309.60', '同意维修'], ['3', '滤芯', '0.00', '同意维修'], ['4', '换轮胎', '180.00', '不修'],
    ]);
    expect(lines.rows[2]![4]).toBe(''); // a customer-supplied part has no price
    const totals = section(doc.sections, '费用合计') as Extract<DocSection, { kind: 'totals' }>;
    expect(totals.rows).toContainEqual({ label: '优惠', value: '-10.00' });
    expect(totals.rows).toContainEqual({ label: '合计', value: '479.60', strong: true });
    const note = section(doc.sections, '说明') as Extract<DocSection, { kind: 'text' }>;
    expect(note.paragraphs.at(-1)).toBe('不保证质量: #2 机油; #3 滤芯');
    expect(doc.facts).toContainEqual(['进厂时间', '2026-11-23 09:05']);
    expect(doc.signLines).toEqual(['客户签字', '服务顾问签字']);
  });
});

describe('settlement', () => {
  it('approved lines only, estimate vs final, payments, balance, open findings to sign, remaining life, next service', () => {
    const doc = settlementDocument(data(), S, 'en');
    const lines = section(doc.sections, 'Work') as Extract<DocSection, { kind: 'table' }>;
    expect(lines.rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    expect((section(doc.sections, 'Estimate and final') as Extract<DocSection, { kind: 'totals' }>).rows).toEqual([
      { label: 'Signed estimate', value: '400.00' }, { label: 'Final', value: '479.60' }, { label: 'Difference', value: '+79.60', strong: true },
      { label: 'Lines over the estimate', value: '#2 机油 309.60' },
    ]);
    expect((section(doc.sections, 'Totals') as Extract<DocSection, { kind: 'totals' }>).rows.at(-1)).toEqual({ label: 'Balance', value: '79.60', strong: true });
    expect((section(doc.sections, 'Payments') as Extract<DocSection, { kind: 'table' }>).rows).toEqual([['2026-11-23 16:00', 'WeChat Pay', '400.00', '']]);
    expect((section(doc.sections, 'Declined work and findings') as Extract<DocSection, { kind: 'table' }>).rows[0]).toEqual(['F4', '换轮胎', 'safety', 'RO-20261123-0001 2026-11-23']);
    const insp = section(doc.sections, 'Vehicle inspection') as Extract<DocSection, { kind: 'table' }>;
    expect(insp.rows.map((r) => [r[0], r[3]])).toEqual([['前制动片', "≈0 km (typical wear)"], ['后制动片', "≈26667 km (this car's wear)"]]);
    expect(doc.sections.some((s) => s.kind === 'text' && s.paragraphs[0] === '1 other item checked: good.')).toBe(true);
    expect((section(doc.sections, 'Next service') as Extract<DocSection, { kind: 'totals' }>).rows).toEqual([{ label: 'Date', value: '2027-05-23' }, { label: 'Mileage', value: '55100 km' }]);
    expect(doc.signLines[0]).toBe('Customer signature (declined work)');
  });

  it('an overpaid order shows what is to refund; no findings, no declined-work signature line', () => {
    const doc = settlementDocument(data({ totals: { ...data().totals, paid_cents: 50000, balance_cents: -2040 }, openFindings: [] }), S, 'zh-CN');
    expect((section(doc.sections, '费用合计') as Extract<DocSection, { kind: 'totals' }>).rows.at(-1)).toEqual({ label: '应退', value: '20.40', strong: true });
    expect(doc.signLines).toEqual(['客户签字', '服务顾问签字']);
  });
});

describe('release note', () => {
  it('warranty from the delivery day and mileage, without customer-supplied and no-guarantee lines', () => {
    const doc = releaseDocument(data(), { ...S, warrantyDays: 30, warrantyKm: 3000 }, 'zh-CN');
    const w = section(doc.sections, '质量保证') as Extract<DocSection, { kind: 'text' }>;
    expect(w.paragraphs).toEqual([
      '本次维修项目自交车之日起保修 30 天或 3000 公里（以先到者为准）：至 2026-12-23 或 53100 公里。',
      '下列项目不在保修范围内（客户自带或不保证质量）： #2 机油; #3 滤芯',
    ]);
    expect((section(doc.sections, '质量检验') as Extract<DocSection, { kind: 'totals' }>).rows).toEqual([
      { label: '质量检验', value: '检验合格 2026-11-23 15:30' }, { label: '路试', value: '是' }, { label: '质检员', value: '赵质检' },
    ]);
  });
});

describe('HTML', () => {
  it('escapes every text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderDocumentHtml(estimateDocument(data({ order: { ...data().order, complaint: '</td><script>x</script>' } }), S, 'zh-CN'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('@page { size: A4;');
  });
});
