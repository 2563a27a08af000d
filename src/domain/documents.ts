/**
 * The documents a customer reads and signs (SPEC §11): what goes on each, from an order or a booking.
 * Pure: the use-case (src/app/documents.ts) loads the data; src/domain/documents-html.ts draws it.
 * Everything shown is text already formatted here (money to the cent, times in the shop's zone), so
 * the HTML renderer only lays it out and escapes it.
 */
import { formatYuan } from './money.js';
import { addDays, formatLocal, localDay, type Day } from './time.js';

export const DOCUMENT_KINDS = ['booking', 'estimate', 'settlement', 'release'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export type DocLang = 'zh-CN' | 'en';

export interface DocColumn {
  label: string;
  align?: 'right';
}
export type DocSection =
  | { kind: 'table'; title: string; columns: DocColumn[]; rows: string[][]; empty?: string }
  | { kind: 'totals'; title: string; rows: Array<{ label: string; value: string; strong?: boolean }> }
  | { kind: 'text'; title: string; paragraphs: string[]; tone?: 'warning' };

export interface DocModel {
  kind: DocumentKind;
  lang: DocLang;
  title: string;
  /** the other language's title, small under the main one */
  subtitle: string;
  shop: { name: string; address: string; phone: string };
  /** order number or booking number */
  ref: string;
  facts: Array<[string, string]>;
  sections: DocSection[];
  /** the signature lines to sign on paper */
  signLines: string[];
}

// ---------------------------------------------------------------- the data a document is made from

export interface DocLine {
  line_no: number;
  kind: 'labor' | 'part' | 'fee';
  description: string;
  part_no: string | null;
  qty_milli: number | null;
  hours_centi: number | null;
  unit_price_cents: number;
  amount_cents: number;
  status: string;
  additional: number | boolean;
  customer_supplied: number | boolean;
  grade: string | null;
  decline_reason: string | null;
  removed_at?: string | null;
  no_quality_guarantee: boolean;
}

export interface DocOrder {
  number: string;
  status: string;
  category: string;
  opened_at: string;
  mileage_in: number;
  fuel: string | null;
  belongings: string | null;
  damage: string | null;
  key_tag: string | null;
  complaint: string | null;
  promised_at: string | null;
  ready_at: string | null;
  delivered_at: string | null;
  road_test: number | boolean | null;
  discount_cents: number;
  plate: string;
  vin: string | null;
  make: string | null;
  model: string | null;
  customer_name: string;
  phone: string;
  advisor: string | null;
  technician: string | null;
  inspector: string | null;
}

export interface DocOrderData {
  order: DocOrder;
  lines: DocLine[];
  totals: { labor_cents: number; parts_cents: number; fees_cents: number; total_cents: number; proposed_cents: number; paid_cents: number; balance_cents: number };
  settlement: { estimate_cents: number | null; final_cents: number; difference_cents: number; exceeds: boolean; extra_lines: Array<{ line_no: number; description: string; amount_cents: number }> };
  payments: Array<{ paid_at: string; method: string; amount_cents: number; reason?: string | null }>;
  /** open findings of the vehicle (declined work, found and not fixed, inspection), with severity */
  openFindings: Array<{ label: string; description: string; severity: string | null; order_number: string; created_at: string }>;
  inspection: Array<{ item: string; group: string; value: number | null; passed: boolean | null; unit: string | null; colour: string; note: string | null; remaining_life: { km: number; basis: string } | null }>;
  signatures: Array<{ role: string; what: string; name: string | null; signed_at: string }>;
  nextService: { due_on: Day; due_km: number | null } | null;
}

export interface DocBookingData {
  id: number;
  status: string;
  scheduled_at: string;
  ends_at: string;
  minutes: number;
  service: string | null;
  complaint: string | null;
  advisor: string | null;
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
  estimate_cents: number | null;
  parts_value_cents: number | null;
  deposit_cents: number | null;
  deposit_left_cents: number;
}

export interface DocSettings {
  shop: { name: string; address: string; phone: string };
  tz: string;
  warrantyDays: number;
  warrantyKm: number;
}

// ---------------------------------------------------------------- words

const WORDS = {
  'zh-CN': {
    booking: '预约单', estimate: '维修委托书 / 任务单', settlement: '结算单', release: '出厂通知单 / 质量保证书',
    bookingNo: '预约号', time: '预约时间', minutes: '分钟', vehicle: '车辆', plate: '车牌', vin: 'VIN', model: '车型', customer: '客户', phone: '电话',
    service: '服务项目', complaint: '客户描述', advisor: '服务顾问', technician: '维修技师', inspector: '质检员', status: '状态',
    order: '任务单号', opened: '进厂时间', mileage: '进厂里程', fuel: '油量', belongings: '车内物品', damage: '车身外观', keyTag: '钥匙牌', promised: '预计交车',
    delivered: '交车时间', ready: '完工时间', category: '类别',
    price: '价格信息', estimateAmount: '预估费用', partsValue: '订货配件金额', deposit: '订金', depositLeft: '订金余额',
    bring: '请携带', bringText: ['行驶证、保养手册和车钥匙；贵重物品请提前取出车内。', '如需改期或取消，请提前致电本店。'],
    lines: '维修项目', no: '序号', item: '项目', kind: '类型', qty: '数量/工时', unitPrice: '单价', amount: '金额', lineStatus: '状态', note: '备注',
    labor: '工时', part: '配件', fee: '费用', approved: '同意维修', proposed: '待确认', declined: '不修', removed: '已删除', additional: '追加',
    noQg: '不保证质量', customerSupplied: '客户自带配件，不保修',
    totals: '费用合计', labourTotal: '工时费', partsTotal: '配件费', feesTotal: '其他费用', discount: '优惠', total: '合计', notApproved: '待确认项目金额',
    disclaimer: '说明', disclaimerText: ['部分故障须拆检后才能确定，拆检后如需追加项目或费用，本店将先征得您的同意。', '标注“不保证质量”的项目（客户自带、副厂或旧件）本店不提供质量保证。'],
    inspection: '环车检查', value: '结果', colour: '评价', green: '良好', yellow: '建议关注', red: '需立即处理', pass: '合格', fail: '不合格', life: '剩余寿命', ownWear: '按本车磨损', typicalWear: '按典型磨损',
    openFindings: '未修项目与检查发现', severity: '程度', safety: '安全', advised: '建议', foundOn: '发现于',
    estimateVsFinal: '预估与结算', signedEstimate: '签字预估', final: '结算金额', difference: '差额', overEstimate: '超出预估的项目',
    payments: '付款记录', paidAt: '时间', method: '方式', paid: '已付', balance: '余额', toRefund: '应退',
    nextService: '下次保养', dueOn: '日期', dueKm: '里程', none: '无',
    workDone: '完成的维修项目', qc: '质量检验', qcPassed: '检验合格', roadTest: '路试', yes: '是', no_: '否',
    warranty: '质量保证', warrantyText: (days: number, km: number, until: string, untilKm: string) => `本次维修项目自交车之日起保修 ${days} 天或 ${km} 公里（以先到者为准）：至 ${until} 或 ${untilKm} 公里。`,
    warrantyExcluded: '下列项目不在保修范围内（客户自带或不保证质量）：',
    restGood: (n: number) => `其余 ${n} 项检查良好。`,
    signatures: '签字记录', signed: '签字时间', signer: '签字人', what: '内容',
    role: { customer: '客户', advisor: '服务顾问', technician: '维修技师', inspector: '质检员' } as Record<string, string>,
    whatSigned: { estimate: '委托书', additional: '追加项目', declined: '不修项目', delivery: '交车' } as Record<string, string>,
    signCustomer: '客户签字', signAdvisor: '服务顾问签字', signInspector: '质检员签字', signDeclined: '客户签字（确认不修项目）', signDate: '日期',
    methods: { cash: '现金', card: '刷卡', wechat: '微信', alipay: '支付宝', transfer: '转账', warranty: '保修', deposit: '订金' } as Record<string, string>,
  },
  en: {
    booking: 'Booking slip', estimate: 'Repair order and estimate', settlement: 'Settlement', release: 'Release note and quality guarantee',
    bookingNo: 'Booking', time: 'Time', minutes: 'min', vehicle: 'Vehicle', plate: 'Plate', vin: 'VIN', model: 'Model', customer: 'Customer', phone: 'Phone',
    service: 'Service', complaint: 'Complaint', advisor: 'Advisor', technician: 'Technician', inspector: 'Inspector', status: 'Status',
    order: 'Order', opened: 'Checked in', mileage: 'Mileage in', fuel: 'Fuel', belongings: 'Belongings', damage: 'Body damage', keyTag: 'Key tag', promised: 'Promised',
    delivered: 'Delivered', ready: 'Ready', category: 'Category',
    price: 'Price information', estimateAmount: 'Estimate', partsValue: 'Special-order parts', deposit: 'Deposit', depositLeft: 'Deposit left',
    bring: 'Please bring', bringText: ['The registration, the service book and the keys; please take valuables out of the car.', 'To move or cancel, please call us in advance.'],
    lines: 'Work', no: '#', item: 'Item', kind: 'Kind', qty: 'Qty / hours', unitPrice: 'Unit price', amount: 'Amount', lineStatus: 'Status', note: 'Note',
    labor: 'Labour', part: 'Part', fee: 'Fee', approved: 'approved', proposed: 'to decide', declined: 'declined', removed: 'removed', additional: 'added',
    noQg: 'no quality guarantee', customerSupplied: 'customer-supplied, no warranty',
    totals: 'Totals', labourTotal: 'Labour', partsTotal: 'Parts', feesTotal: 'Fees', discount: 'Discount', total: 'Total', notApproved: 'Not yet approved',
    disclaimer: 'Please note', disclaimerText: ['Some costs are known only after dismantling; we ask for your approval before any added work or cost.', 'Lines marked "no quality guarantee" (customer-supplied, aftermarket or used parts) carry no guarantee from us.'],
    inspection: 'Vehicle inspection', value: 'Result', colour: 'Rating', green: 'good', yellow: 'watch', red: 'fix now', pass: 'pass', fail: 'fail', life: 'Remaining life', ownWear: "this car's wear", typicalWear: 'typical wear',
    openFindings: 'Declined work and findings', severity: 'Severity', safety: 'safety', advised: 'advised', foundOn: 'Found on',
    estimateVsFinal: 'Estimate and final', signedEstimate: 'Signed estimate', final: 'Final', difference: 'Difference', overEstimate: 'Lines over the estimate',
    payments: 'Payments', paidAt: 'Time', method: 'Method', paid: 'Paid', balance: 'Balance', toRefund: 'To refund',
    nextService: 'Next service', dueOn: 'Date', dueKm: 'Mileage', none: 'none',
    workDone: 'Work done', qc: 'Quality check', qcPassed: 'passed', roadTest: 'Road test', yes: 'yes', no_: 'no',
    warranty: 'Warranty', warrantyText: (days: number, km: number, until: string, untilKm: string) => `The work is guaranteed for ${days} days or ${km} km from delivery, whichever comes first: until ${until} or ${untilKm} km.`,
    warrantyExcluded: 'Not covered (customer-supplied or no quality guarantee):',
    restGood: (n: number) => `${n} other item${n === 1 ? '' : 's'} checked: good.`,
    signatures: 'Signatures on record', signed: 'Signed', signer: 'By', what: 'For',
    role: { customer: 'customer', advisor: 'advisor', technician: 'technician', inspector: 'inspector' } as Record<string, string>,
    whatSigned: { estimate: 'estimate', additional: 'added work', declined: 'declined work', delivery: 'delivery' } as Record<string, string>,
    signCustomer: 'Customer signature', signAdvisor: 'Advisor signature', signInspector: 'Inspector signature', signDeclined: 'Customer signature (declined work)', signDate: 'Date',
    methods: { cash: 'cash', card: 'card', wechat: 'WeChat Pay', alipay: 'Alipay', transfer: 'bank transfer', warranty: 'warranty', deposit: 'deposit' } as Record<string, string>,
  },
};
type Words = (typeof WORDS)['en'];

const money = (cents: number | null | undefined) => (cents === null || cents === undefined ? '' : formatYuan(cents));
const time = (iso: string | null | undefined, tz: string) => (iso ? formatLocal(iso, tz) : '');
const lineKind = (w: Words, k: string) => (k === 'labor' ? w.labor : k === 'part' ? w.part : w.fee);

function qtyOf(l: DocLine): string {
  if (l.kind === 'labor' && l.hours_centi !== null) return `${l.hours_centi / 100} h`;
  if (l.kind === 'part' && l.qty_milli !== null) return String(l.qty_milli / 1000);
  return '';
}

function lineNote(w: Words, l: DocLine): string {
  return [
    l.customer_supplied ? w.customerSupplied : l.no_quality_guarantee ? w.noQg : '',
    l.additional ? w.additional : '',
    l.decline_reason ?? '',
  ].filter(Boolean).join('; ');
}

function lineStatus(w: Words, l: DocLine): string {
  if (l.removed_at) return w.removed;
  return l.status === 'approved' ? w.approved : l.status === 'declined' ? w.declined : w.proposed;
}

function linesTable(w: Words, title: string, lines: readonly DocLine[], withStatus: boolean): DocSection {
  return {
    kind: 'table',
    title,
    columns: [
      { label: w.no, align: 'right' }, { label: w.item }, { label: w.kind }, { label: w.qty, align: 'right' },
      { label: w.unitPrice, align: 'right' }, { label: w.amount, align: 'right' }, ...(withStatus ? [{ label: w.lineStatus }] : []), { label: w.note },
    ],
    rows: lines.map((l) => [
      String(l.line_no), l.description + (l.part_no ? ` [${l.part_no}]` : ''), lineKind(w, l.kind), qtyOf(l),
      l.customer_supplied ? '' : money(l.unit_price_cents), money(l.amount_cents), ...(withStatus ? [lineStatus(w, l)] : []), lineNote(w, l),
    ]),
    empty: w.none,
  };
}

/**
 * The inspection as the customer reads it: items that are not green, and every measured pad or tyre
 * (with its remaining life on the settlement); the green rest is one line, so a full 30-point check
 * still fits the page.
 */
function inspectionSections(w: Words, d: DocOrderData, withLife: boolean): DocSection[] {
  if (!d.inspection.length) return [];
  const colour = (c: string) => (c === 'red' ? w.red : c === 'yellow' ? w.yellow : w.green);
  const shown = d.inspection.filter((r) => r.colour !== 'green' || (withLife && r.remaining_life));
  const rest = d.inspection.length - shown.length;
  const out: DocSection[] = [];
  if (shown.length) {
    out.push({
      kind: 'table',
      title: w.inspection,
      columns: [{ label: w.item }, { label: w.value, align: 'right' }, { label: w.colour }, ...(withLife ? [{ label: w.life, align: 'right' as const }] : []), { label: w.note }],
      rows: shown.map((r) => [
        r.item,
        r.value !== null ? `${r.value}${r.unit ?? ''}` : r.passed ? w.pass : w.fail,
        colour(r.colour),
        ...(withLife ? [r.remaining_life ? `≈${r.remaining_life.km} km (${r.remaining_life.basis === 'own' ? w.ownWear : w.typicalWear})` : ''] : []),
        r.note ?? '',
      ]),
    });
  }
  if (rest) out.push({ kind: 'text', title: shown.length ? '' : w.inspection, paragraphs: [w.restGood(rest)] });
  return out;
}

function findingsTable(w: Words, d: DocOrderData, tz: string): DocSection | null {
  if (!d.openFindings.length) return null;
  return {
    kind: 'table',
    title: w.openFindings,
    columns: [{ label: w.no }, { label: w.item }, { label: w.severity }, { label: w.foundOn }],
    rows: d.openFindings.map((f) => [f.label, f.description, f.severity === 'safety' ? w.safety : f.severity === 'advised' ? w.advised : '', `${f.order_number} ${time(f.created_at, tz).slice(0, 10)}`]),
  };
}

function signaturesTable(w: Words, d: DocOrderData, tz: string): DocSection | null {
  if (!d.signatures.length) return null;
  return {
    kind: 'text',
    title: w.signatures,
    paragraphs: [d.signatures.map((s) => `${time(s.signed_at, tz)} ${w.whatSigned[s.what] ?? s.what}: ${w.role[s.role] ?? s.role}${s.name ? ` ${s.name}` : ''}`).join(' · ')],
  };
}

function orderFacts(w: Words, o: DocOrder, tz: string, extra: Array<[string, string]>): Array<[string, string]> {
  return [
    [w.order, o.number],
    [w.plate, o.plate],
    [w.model, [o.make, o.model].filter(Boolean).join(' ')],
    [w.vin, o.vin ?? ''],
    [w.customer, o.customer_name],
    [w.phone, o.phone],
    [w.opened, time(o.opened_at, tz)],
    [w.mileage, `${o.mileage_in} km`],
    [w.advisor, o.advisor ?? ''],
    ...extra,
  ];
}

const present = <T>(xs: Array<T | null>): T[] => xs.filter((x): x is T => x !== null);

// ---------------------------------------------------------------- the four documents

export function bookingDocument(b: DocBookingData, s: DocSettings, lang: DocLang): DocModel {
  const w = WORDS[lang];
  const start = time(b.scheduled_at, s.tz);
  const end = time(b.ends_at, s.tz);
  return {
    kind: 'booking', lang, title: w.booking, subtitle: WORDS[lang === 'en' ? 'zh-CN' : 'en'].booking, shop: s.shop, ref: String(b.id),
    facts: [
      [w.bookingNo, String(b.id)],
      [w.time, `${start} – ${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end} (${b.minutes} ${w.minutes})`],
      [w.plate, b.plate],
      [w.model, b.model ?? ''],
      [w.customer, b.customer_name],
      [w.phone, b.phone],
      [w.service, b.service ?? ''],
      [w.complaint, b.complaint ?? ''],
      [w.advisor, b.advisor ?? ''],
    ],
    sections: [
      {
        kind: 'totals',
        title: w.price,
        rows: [
          { label: w.estimateAmount, value: money(b.estimate_cents) || w.none },
          ...(b.parts_value_cents ? [{ label: w.partsValue, value: money(b.parts_value_cents) }] : []),
          ...(b.deposit_cents ? [{ label: w.deposit, value: money(b.deposit_cents) }, { label: w.depositLeft, value: money(b.deposit_left_cents), strong: true }] : []),
        ],
      },
      { kind: 'text', title: w.bring, paragraphs: w.bringText },
    ],
    signLines: [w.signCustomer, w.signAdvisor],
  };
}

export function estimateDocument(d: DocOrderData, s: DocSettings, lang: DocLang): DocModel {
  const w = WORDS[lang];
  const o = d.order;
  const lines = d.lines.filter((l) => !l.removed_at);
  const noQg = lines.filter((l) => l.no_quality_guarantee && l.status !== 'declined');
  return {
    kind: 'estimate', lang, title: w.estimate, subtitle: WORDS[lang === 'en' ? 'zh-CN' : 'en'].estimate, shop: s.shop, ref: o.number,
    facts: orderFacts(w, o, s.tz, [
      [w.fuel, o.fuel ?? ''],
      [w.keyTag, o.key_tag ?? ''],
      [w.promised, time(o.promised_at, s.tz)],
      [w.belongings, o.belongings ?? ''],
      [w.damage, o.damage ?? ''],
      [w.complaint, o.complaint ?? ''],
    ]),
    sections: present([
      linesTable(w, w.lines, lines, true),
      {
        kind: 'totals',
        title: w.totals,
        rows: [
          { label: w.labourTotal, value: money(d.totals.labor_cents) },
          { label: w.partsTotal, value: money(d.totals.parts_cents) },
          { label: w.feesTotal, value: money(d.totals.fees_cents) },
          ...(o.discount_cents ? [{ label: w.discount, value: `-${money(o.discount_cents)}` }] : []),
          { label: w.total, value: money(d.totals.total_cents), strong: true },
          ...(d.totals.proposed_cents ? [{ label: w.notApproved, value: money(d.totals.proposed_cents) }] : []),
        ],
      },
      ...inspectionSections(w, d, false),
      findingsTable(w, d, s.tz),
      {
        kind: 'text',
        title: w.disclaimer,
        paragraphs: [...w.disclaimerText, ...(noQg.length ? [`${w.noQg}: ${noQg.map((l) => `#${l.line_no} ${l.description}`).join('; ')}`] : [])],
        tone: 'warning',
      },
      signaturesTable(w, d, s.tz),
    ]),
    signLines: [w.signCustomer, w.signAdvisor],
  };
}

export function settlementDocument(d: DocOrderData, s: DocSettings, lang: DocLang): DocModel {
  const w = WORDS[lang];
  const o = d.order;
  const approved = d.lines.filter((l) => !l.removed_at && l.status === 'approved');
  const st = d.settlement;
  const balance = d.totals.balance_cents;
  return {
    kind: 'settlement', lang, title: w.settlement, subtitle: WORDS[lang === 'en' ? 'zh-CN' : 'en'].settlement, shop: s.shop, ref: o.number,
    facts: orderFacts(w, o, s.tz, [
      [w.technician, o.technician ?? ''],
      [o.delivered_at ? w.delivered : w.ready, time(o.delivered_at ?? o.ready_at, s.tz)],
    ]),
    sections: present([
      linesTable(w, w.lines, approved, false),
      {
        kind: 'totals',
        title: w.totals,
        rows: [
          { label: w.labourTotal, value: money(d.totals.labor_cents) },
          { label: w.partsTotal, value: money(d.totals.parts_cents) },
          { label: w.feesTotal, value: money(d.totals.fees_cents) },
          ...(o.discount_cents ? [{ label: w.discount, value: `-${money(o.discount_cents)}` }] : []),
          { label: w.total, value: money(d.totals.total_cents), strong: true },
          { label: w.paid, value: money(d.totals.paid_cents) },
          { label: balance < 0 ? w.toRefund : w.balance, value: money(Math.abs(balance)), strong: true },
        ],
      },
      st.estimate_cents === null
        ? null
        : {
            kind: 'totals',
            title: w.estimateVsFinal,
            rows: [
              { label: w.signedEstimate, value: money(st.estimate_cents) },
              { label: w.final, value: money(st.final_cents) },
              { label: w.difference, value: `${st.difference_cents > 0 ? '+' : ''}${money(st.difference_cents)}`, strong: st.exceeds },
              ...(st.extra_lines.length ? [{ label: w.overEstimate, value: st.extra_lines.map((l) => `#${l.line_no} ${l.description} ${money(l.amount_cents)}`).join('; ') }] : []),
            ],
          },
      {
        kind: 'totals',
        title: w.nextService,
        rows: d.nextService ? [{ label: w.dueOn, value: d.nextService.due_on }, ...(d.nextService.due_km !== null ? [{ label: w.dueKm, value: `${d.nextService.due_km} km` }] : [])] : [{ label: w.dueOn, value: w.none }],
      },
      d.payments.length
        ? {
            kind: 'table',
            title: w.payments,
            columns: [{ label: w.paidAt }, { label: w.method }, { label: w.amount, align: 'right' }, { label: w.note }],
            rows: d.payments.map((p) => [time(p.paid_at, s.tz), w.methods[p.method] ?? p.method, money(p.amount_cents), p.reason ?? '']),
          }
        : null,
      findingsTable(w, d, s.tz),
      ...inspectionSections(w, d, true),
      signaturesTable(w, d, s.tz),
    ]),
    signLines: [...(d.openFindings.length ? [w.signDeclined] : []), w.signCustomer, w.signAdvisor],
  };
}

export function releaseDocument(d: DocOrderData, s: DocSettings, lang: DocLang): DocModel {
  const w = WORDS[lang];
  const o = d.order;
  const done = d.lines.filter((l) => !l.removed_at && l.status === 'approved');
  const excluded = done.filter((l) => l.no_quality_guarantee || l.customer_supplied);
  const from = o.delivered_at ?? o.ready_at ?? o.opened_at;
  const until = addDays(localDay(from, s.tz), s.warrantyDays);
  return {
    kind: 'release', lang, title: w.release, subtitle: WORDS[lang === 'en' ? 'zh-CN' : 'en'].release, shop: s.shop, ref: o.number,
    facts: orderFacts(w, o, s.tz, [
      [w.technician, o.technician ?? ''],
      [w.inspector, o.inspector ?? ''],
      [o.delivered_at ? w.delivered : w.ready, time(o.delivered_at ?? o.ready_at, s.tz)],
    ]),
    sections: present([
      {
        kind: 'table',
        title: w.workDone,
        columns: [{ label: w.no, align: 'right' }, { label: w.item }, { label: w.kind }, { label: w.note }],
        rows: done.map((l) => [String(l.line_no), l.description + (l.part_no ? ` [${l.part_no}]` : ''), lineKind(w, l.kind), lineNote(w, l)]),
        empty: w.none,
      },
      {
        kind: 'totals',
        title: w.qc,
        rows: [
          { label: w.qc, value: o.ready_at ? `${w.qcPassed} ${time(o.ready_at, s.tz)}` : '' },
          { label: w.roadTest, value: o.road_test ? w.yes : w.no_ },
          { label: w.inspector, value: o.inspector ?? '' },
        ],
      },
      {
        kind: 'text',
        title: w.warranty,
        paragraphs: [
          w.warrantyText(s.warrantyDays, s.warrantyKm, until, String(o.mileage_in + s.warrantyKm)),
          ...(excluded.length ? [`${w.warrantyExcluded} ${excluded.map((l) => `#${l.line_no} ${l.description}`).join('; ')}`] : []),
        ],
      },
      findingsTable(w, d, s.tz),
    ]),
    signLines: [w.signInspector, w.signCustomer],
  };
}

/** The default file name, `<KIND>-<REF>` (SPEC §11). */
export function documentBaseName(kind: DocumentKind, ref: string): string {
  return `${kind}-${ref}`;
}

