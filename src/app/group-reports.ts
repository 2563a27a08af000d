/**
 * `group report revenue|callbacks|arrears` (SPEC §15): the store jobs' figures across stores, read
 * from the group's PostgreSQL. Each store's rows come from the same rules as its own job's
 * (src/domain/revenue.ts, callbackStats.ts, jobs/arrears.ts) over sums the group's SQL makes in that
 * store's own zone, so they equal the store's own file; the group's rows (store `(group)`) add the
 * stores' sums together.
 */
import { withGroup } from './group.js';
import { reportPeriod, parsePeriod } from './reports.js';
import { groupArrears, groupCallbackTallies, groupListConversion, groupRevenueSums, groupStores, type StoreBounds } from '../db/group/reports.js';
import { readSchema, requireSchema } from '../db/group/schema.js';
import { describeServer } from '../db/group/pg.js';
import { revenueReportRows, type RevenueRow, type RevenueSums } from '../domain/revenue.js';
import { conversionRows, statRows, type CallbackTally, type ListConversion, type StatRow } from '../domain/callbackStats.js';
import { arrearsRows } from '../domain/jobs/arrears.js';
import { CONTACT_LISTS, lastContactCell } from '../domain/contacts.js';
import { dayRange, daysRange, localDay, localDayCache, parseDay, type Day } from '../domain/time.js';
import { parseStoreCode } from '../domain/group.js';
import type { Period } from '../domain/jobs/types.js';
import type { Row } from '../../jobs/types.js';
import { PitstopError, Exit, usage } from '../errors.js';
import './clock.js';

/** The store column's value on the group's own rows (not a valid store code, so it never clashes). */
export const GROUP_ROW = '(group)';

export type GroupReportKind = 'revenue' | 'callbacks' | 'arrears';

export interface GroupReportOptions {
  url: string;
  now: Date;
  week?: string;
  month?: string;
  date?: string;
  stores?: readonly string[];
}

export interface StoreInfo {
  code: string;
  name: string;
  timezone: string;
}

export interface RevenueReport {
  kind: 'revenue';
  period: Period;
  stores: StoreInfo[];
  rows: Array<RevenueRow & { store: string }>;
}

export interface CallbacksReport {
  kind: 'callbacks';
  period: Period;
  stores: StoreInfo[];
  rows: Array<StatRow & { store: string }>;
}

export interface ArrearsReport {
  kind: 'arrears';
  day: Day;
  stores: StoreInfo[];
  rows: Array<Row & { store: string }>;
}

export type GroupReport = RevenueReport | CallbacksReport | ArrearsReport;

/** The zone "today" and the default period are read in: the stores' when they share one, else Asia/Shanghai. */
function reportZone(stores: readonly StoreInfo[]): string {
  const zones = new Set(stores.map((s) => s.timezone));
  return zones.size === 1 ? [...zones][0]! : 'Asia/Shanghai';
}

/** Revenue sums of several stores added together, per dimension and key. */
export function addRevenueSums(all: Iterable<readonly RevenueSums[]>): RevenueSums[] {
  const byKey = new Map<string, RevenueSums>();
  for (const sums of all) {
    for (const s of sums) {
      const k = `${s.dimension}\u0000${s.key}`;
      const t = byKey.get(k);
      if (!t) byKey.set(k, { ...s });
      else {
        t.orders += s.orders; t.vehicles += s.vehicles; t.labor += s.labor; t.parts += s.parts;
        t.other += s.other; t.discount += s.discount; t.paid += s.paid;
      }
    }
  }
  return [...byKey.values()];
}

/** Callback tallies of several stores added together. */
export function addTallies(all: readonly CallbackTally[]): CallbackTally {
  return {
    delivered: all.reduce((a, t) => a + t.delivered, 0),
    reachedOrders: all.reduce((a, t) => a + t.reachedOrders, 0),
    reachedCalls: all.reduce((a, t) => a + t.reachedCalls, 0),
    satisfied: all.reduce((a, t) => a + t.satisfied, 0),
    sums: [0, 1, 2, 3, 4].map((i) => all.reduce((a, t) => a + t.sums[i]!, 0)),
    counts: [0, 1, 2, 3, 4].map((i) => all.reduce((a, t) => a + t.counts[i]!, 0)),
    reasons: all.flatMap((t) => [...t.reasons]),
    suggestions: all.flatMap((t) => [...t.suggestions]),
  };
}

/** Conversions of several stores added together, per list in the lists' order. */
export function addConversions(all: readonly (readonly ListConversion[])[]): ListConversion[] {
  return CONTACT_LISTS.map((list) => {
    const mine = all.flatMap((ls) => ls.filter((l) => l.list === list));
    return {
      list, rows: mine.reduce((a, l) => a + l.rows, 0), contacted: mine.reduce((a, l) => a + l.contacted, 0),
      reached: mine.reduce((a, l) => a + l.reached, 0), booked: mine.reduce((a, l) => a + l.booked, 0),
    };
  });
}

/** Build a group report. Opens no store database (SPEC §16). */
export async function groupReport(kind: GroupReportKind, o: GroupReportOptions): Promise<GroupReport> {
  if (kind === 'arrears' && (o.week !== undefined || o.month !== undefined)) throw usage('group report arrears takes --date D, not --week or --month');
  if (kind !== 'arrears' && o.date !== undefined) throw usage(`group report ${kind} takes --week or --month, not --date`);
  if (kind === 'callbacks' && o.week !== undefined) throw usage('group report callbacks is monthly: give --month YYYY-MM');
  const wanted = (o.stores ?? []).map((s) => parseStoreCode('--store', s));
  return withGroup(o.url, async (client) => {
    const where = describeServer(o.url);
    requireSchema(await readSchema(client), where);
    const known = await groupStores(client);
    for (const w of wanted) if (!known.some((s) => s.code === w)) throw new PitstopError(Exit.notFound, `store ${w} (--store) is not in the group at ${where}; see pitstop group store list`);
    const stores: StoreInfo[] = known.filter((s) => !wanted.length || wanted.includes(s.code)).map(({ code, name, timezone }) => ({ code, name, timezone }));
    const zone = reportZone(stores);
    const today = localDay(o.now, zone);
    if (kind === 'arrears') {
      const day = o.date !== undefined ? parseDay('--date', o.date) : today;
      const bounds: StoreBounds[] = stores.map((s) => {
        const [f, t] = dayRange(day, s.timezone);
        return { store: s.code, f, t };
      });
      const orders = await groupArrears(client, bounds);
      const rows = stores.flatMap((s) => {
        const page = orders.get(s.code) ?? [];
        // the store's arrears rows, with last_contact as its job writes it
        return arrearsRows(page, day, localDayCache(s.timezone)).map((r, i) => ({ store: s.code, ...r, last_contact: lastContactCell(page[i]!.contact, s.timezone) }));
      });
      return { kind, day, stores, rows };
    }
    const period = parsePeriod(o.week, o.month) ?? reportPeriod('monthly', today);
    const bounds: StoreBounds[] = stores.map((s) => {
      const [f, t] = daysRange(period.first, period.last, s.timezone);
      return { store: s.code, f, t };
    });
    if (kind === 'revenue') {
      const sums = await groupRevenueSums(client, bounds);
      const rows = stores.flatMap((s) => revenueReportRows(period.key, sums.get(s.code) ?? []).map((r) => ({ store: s.code, ...r })));
      rows.push(...revenueReportRows(period.key, addRevenueSums(sums.values())).map((r) => ({ store: GROUP_ROW, ...r })));
      return { kind, period, stores, rows };
    }
    const tallies = await groupCallbackTallies(client, bounds);
    const conversions = await groupListConversion(client, CONTACT_LISTS, bounds, period.first, period.last);
    const rows = stores.flatMap((s) =>
      [...statRows(tallies.get(s.code)!), ...conversionRows(conversions.get(s.code) ?? [])].map((r) => ({ store: s.code, ...r })));
    rows.push(...[...statRows(addTallies([...tallies.values()])), ...conversionRows(addConversions([...conversions.values()]))].map((r) => ({ store: GROUP_ROW, ...r })));
    return { kind, period, stores, rows };
  });
}
