/** Direct-SQL fixture builders for the part-B job tests (maintenance, lapsed, revenue, callback-stats). */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../../src/app/context.js';
import { refreshSettings } from '../../src/app/context.js';
import { headerRecord, rowRecord } from '../../src/csv.js';
import { jobRows } from '../../src/app/jobs.js';
import type { JobDefinition, Row } from '../../jobs/types.js';
import { parseLocalDateTime, toIso } from '../../src/domain/time.js';
import { ROOT } from '../helpers.js';

/** Shop-local "YYYY-MM-DD HH:mm" (Asia/Shanghai in these tests) → stored UTC instant. */
export const at = (local: string) => toIso(parseLocalDateTime('at', local, 'Asia/Shanghai'));

export async function insert(ctx: Ctx, table: string, values: Record<string, string | number | null>): Promise<number> {
  const keys = Object.keys(values);
  const r = await ctx.db.run(`INSERT INTO ${table} (${keys.join(',')}) VALUES (${keys.map(() => '?').join(',')})`, keys.map((k) => values[k]!));
  return r.lastID;
}

export async function setSettings(ctx: Ctx, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) await ctx.db.run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [key, value]);
  await refreshSettings(ctx);
}

/** A customer; the n-th one of a database gets phone 139 + n in 8 digits unless `extra` says otherwise. */
export async function customer(ctx: Ctx, name: string, extra: Record<string, string | number | null> = {}): Promise<number> {
  const n = (await ctx.db.get<{ n: number }>('SELECT count(*) + 1 AS n FROM customers'))!.n;
  return insert(ctx, 'customers', { name, phone: `139${String(n).padStart(8, '0')}`, created_at: at('2020-01-01 09:00'), ...extra });
}

export async function vehicle(ctx: Ctx, customerId: number, plate: string, extra: Record<string, string | number | null> = {}): Promise<number> {
  return insert(ctx, 'vehicles', { customer_id: customerId, plate, created_at: at('2020-01-01 09:00'), added_on: '2020-01-01', ...extra });
}

let orderSeq = 0;
/** An order; `opened`/`delivered` are shop-local times. */
export async function order(
  ctx: Ctx,
  vehicleId: number,
  o: { opened: string; km: number; status?: string; category?: string; delivered?: string | null; number?: string } & Record<string, string | number | null | undefined>,
): Promise<number> {
  const { opened, km, delivered, status, category, number, ...rest } = o;
  const customerId = (await ctx.db.get<{ customer_id: number }>('SELECT customer_id FROM vehicles WHERE id = ?', [vehicleId]))!.customer_id;
  orderSeq++;
  return insert(ctx, 'orders', {
    number: number ?? `RO-${opened.slice(0, 10).replace(/-/g, '')}-${String(orderSeq).padStart(4, '0')}`,
    vehicle_id: vehicleId,
    customer_id: customerId,
    category: category ?? 'repair',
    status: status ?? (delivered ? 'delivered' : 'open'),
    opened_at: at(opened),
    mileage_in: km,
    delivered_at: delivered ? at(delivered) : null,
    ...(rest as Record<string, string | number | null>),
  });
}

export async function collect(job: JobDefinition, ctx: Ctx, day: string, period: { key: string; first: string; last: string } | null = null): Promise<Row[]> {
  return jobRows(job, { ctx, day, period });
}

/** The CSV text of rows as the job writer formats them, LF line ends and no BOM, for comparing with a golden file. */
export function csvText(ctx: Ctx, job: JobDefinition, rows: readonly Row[]): string {
  const options = { headers: 'keys' as const, locale: 'zh-CN' as const };
  return [headerRecord(job.columns, options), ...rows.map((r) => rowRecord(job.columns, r, ctx.tz))].join('').replace(/\r\n/g, '\n');
}

/** A hand-written expected file from fixtures/golden-b/. */
export function golden(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'fixtures', 'golden-b', name), 'utf8');
}

/** A job's output file as written (BOM and CRLF removed). */
export function fileText(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}
