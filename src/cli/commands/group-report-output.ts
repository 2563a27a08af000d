/**
 * How `group report` prints: a table per store and for the group on the terminal, or the store jobs'
 * columns with a `store` column first as CSV (stdout or --out), a workbook (--out) or JSON. The CSV
 * and workbook follow the default list settings (BOM, snake_case headers): head office has no store
 * database to read csv.* from.
 */
import type { GroupReport } from '../../app/group-reports.js';
import type { Column, Row } from '../../../jobs/types.js';
import { out, note } from '../kit.js';
import { bar, table } from '../format.js';
import { formatYuan } from '../../domain/money.js';
import { formatStatValue } from '../../domain/callbackStats.js';
import { count } from '../../domain/words.js';
import { invalid } from '../../errors.js';

const STORE: Column = { key: 'store', zh: '门店', en: 'Store', type: 'text' };
const BAR = 24;

async function columnsOf(report: GroupReport): Promise<Column[]> {
  if (report.kind === 'revenue') return [STORE, ...(await import('../../../jobs/revenue-columns.js')).revenueColumns];
  if (report.kind === 'callbacks') return [STORE, ...(await import('../../../jobs/callback-stats.js')).default.columns];
  return [STORE, ...(await import('../../../jobs/arrears.js')).default.columns];
}

/** The report's rows as the CSV and the workbook take them. */
function fileRows(report: GroupReport): Row[] {
  if (report.kind === 'callbacks') return report.rows.map((r) => ({ store: r.store, metric: r.metric, key: r.key, value: formatStatValue(r) }));
  return report.rows as Row[];
}

/** JSON rows as `pitstop report` prints them (money in integer cents, fields ending _cents), with the store first. */
async function jsonRows(report: GroupReport): Promise<Array<Record<string, unknown>>> {
  if (report.kind === 'revenue') {
    const { revenueJson } = await import('../../app/reports.js');
    return report.rows.map((r) => ({ store: r.store, ...revenueJson([r])[0] }));
  }
  if (report.kind === 'callbacks') return report.rows.map((r) => ({ store: r.store, metric: r.metric, key: r.key, value: r.value }));
  return report.rows.map(({ total, paid, balance, ...r }) => ({ ...r, total_cents: total, paid_cents: paid, balance_cents: balance }));
}

export async function printGroupReport(report: GroupReport, format: 'table' | 'csv' | 'xlsx' | 'json', outFile?: string): Promise<void> {
  if (format === 'json') return out(JSON.stringify(await jsonRows(report), null, 2) + '\n');
  if (format === 'csv' || format === 'xlsx') return writeFile(report, format, outFile);
  if (!report.stores.length) return out('no stores in the group yet (pitstop group store add CODE --name NAME)\n');
  const name = (code: string) => report.stores.find((s) => s.code === code)?.name ?? 'all stores';
  if (report.kind === 'revenue') {
    const totals = report.rows.filter((r) => r.dimension === 'total');
    const max = Math.max(1, ...totals.map((r) => r.total));
    out(`revenue ${report.period.key} (${report.period.first} … ${report.period.last}), orders delivered in the period, by store\n`);
    out(table(totals, [
      { header: 'store', value: (r) => r.store },
      { header: 'name', value: (r) => name(r.store) },
      { header: 'orders', value: (r) => r.orders, right: true },
      { header: 'vehicles', value: (r) => r.vehicles, right: true },
      { header: 'total', value: (r) => formatYuan(r.total), right: true },
      { header: 'paid', value: (r) => formatYuan(r.paid), right: true },
      { header: 'outstanding', value: (r) => formatYuan(r.outstanding), right: true },
      { header: 'average', value: (r) => formatYuan(r.avg_order), right: true },
      { header: 'total (bar)', value: (r) => bar(r.total, max, BAR) },
    ]));
    const adjustments = report.rows.filter((r) => r.dimension === 'adjustment');
    if (adjustments.length) {
      out('\ncorrections to earlier periods and forfeited deposits, made in this one\n');
      out(table(adjustments, [
        { header: 'store', value: (r) => r.store },
        { header: 'kind', value: (r) => r.key },
        { header: 'total', value: (r) => formatYuan(r.total), right: true },
        { header: 'paid', value: (r) => formatYuan(r.paid), right: true },
      ]));
    }
    const byCategory = report.rows.filter((r) => r.store === '(group)' && r.dimension === 'category');
    if (byCategory.length) {
      out('\nthe group by category\n');
      out(table(byCategory, [
        { header: 'category', value: (r) => r.key },
        { header: 'orders', value: (r) => r.orders, right: true },
        { header: 'total', value: (r) => formatYuan(r.total), right: true },
        { header: 'outstanding', value: (r) => formatYuan(r.outstanding), right: true },
      ]));
    }
    return;
  }
  if (report.kind === 'callbacks') {
    const codes = [...report.stores.map((s) => s.code), '(group)'];
    const v = (code: string, metric: string, key = '') => {
      const r = report.rows.find((x) => x.store === code && x.metric === metric && x.key === key);
      return r ? formatStatValue(r) : '';
    };
    out(`callback follow-up ${report.period.key} (${report.period.first} … ${report.period.last}), by store (the follow-up target is at least 50% reached)\n`);
    out(table(codes, [
      { header: 'store', value: (c) => c },
      { header: 'name', value: (c) => name(c) },
      { header: 'delivered', value: (c) => v(c, 'delivered_orders'), right: true },
      { header: 'reached', value: (c) => v(c, 'reached'), right: true },
      { header: 'coverage %', value: (c) => v(c, 'coverage_pct'), right: true },
      { header: 'satisfied %', value: (c) => v(c, 'satisfied_pct'), right: true },
      ...[1, 2, 3, 4, 5].map((i) => ({ header: `q${i}`, value: (c: string) => v(c, 'avg_score', `q${i}`), right: true })),
      { header: 'coverage', value: (c) => bar(Number(v(c, 'coverage_pct') || 0), 100, BAR) },
    ]));
    return;
  }
  const codes = [...report.stores.map((s) => s.code), '(group)'];
  const mine = (c: string) => (c === '(group)' ? report.rows : report.rows.filter((r) => r.store === c));
  out(`arrears on ${report.day}: delivered orders with a balance, by store\n`);
  out(table(codes, [
    { header: 'store', value: (c) => c },
    { header: 'name', value: (c) => name(c) },
    { header: 'orders', value: (c) => mine(c).length, right: true },
    { header: 'balance', value: (c) => formatYuan(mine(c).reduce((a, r) => a + Number(r.balance), 0)), right: true },
    { header: 'oldest (days)', value: (c) => Math.max(0, ...mine(c).map((r) => Number(r.days_outstanding))), right: true },
  ]));
}

async function writeFile(report: GroupReport, format: 'csv' | 'xlsx', outFile: string | undefined): Promise<void> {
  const columns = await columnsOf(report);
  const rows = fileRows(report);
  const { Settings } = await import('../../domain/settings.js');
  const ctx = { tz: report.stores[0]?.timezone ?? 'Asia/Shanghai', settings: new Settings(new Map()) } as unknown as import('../../app/context.js').Ctx;
  if (!outFile) {
    const { headerRecord, rowWriter } = await import('../../csv.js');
    const record = rowWriter(columns, ctx.tz);
    return out('\uFEFF' + headerRecord(columns, { headers: 'keys', locale: 'zh-CN' }) + rows.map(record).join(''));
  }
  const path = await import('node:path');
  const fs = await import('node:fs');
  const file = path.resolve(outFile);
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw invalid('--out', outFile, `folder ${dir} does not exist`);
  (await import('../../fsx/atomic.js')).assertReplaceable(file, '--out', outFile);
  const { writeListFile } = await import('../../app/list-files.js');
  const n = await writeListFile(ctx, format, file, columns, (async function* () { yield rows; })(), { name: `group-${report.kind}` });
  note(`wrote ${count(n, 'row')} to ${file}`);
}
