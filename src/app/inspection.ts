/**
 * Inspection use-cases (SPEC §12, §16): templates (built-in 常规检查 and imported), `order inspect`
 * with readings, colours, photos and findings, and the remaining life shown on order and vehicle.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { decodeCsv, parseCsv, trimHeader } from './importer.js';
import {
  BUILTIN_ITEMS, BUILTIN_TEMPLATE, MAX_PHOTO_BYTES, TEMPLATE_COLUMNS, checkTemplateItems, colourOf, findItem, imageTypeOf,
  parsePhoto, parseSet, parseTemplateItem, parseValue, remainingLife, severityOf, type Reading, type RemainingLife, type TemplateItem,
} from '../domain/inspection.js';
import { findingLabel, parseOrderNumber } from '../domain/order.js';
import { formatLocal, parseLocalDateTime, toIso } from '../domain/time.js';
import { cleanText } from '../domain/identity.js';
import { insertEvent, linesOf, orderByNumber } from '../db/orders.js';
import {
  importedTemplates, insertAttachment, insertInspection, insertInspectionFinding, insertReading, linkPhoto, readingsOfOrder,
  openItemFinding, raiseSeverity, readingsOfVehicle, saveTemplate, templateItems, type ReadingRow,
} from '../db/inspection.js';

export function attachmentsDir(ctx: Pick<Ctx, 'dataDir'>): string {
  return path.join(ctx.dataDir, 'attachments');
}

// ---------------------------------------------------------------- templates

export async function loadTemplate(ctx: Ctx, name: string): Promise<TemplateItem[]> {
  const items = await templateItems(ctx.db, name);
  if (items) return items;
  if (name === BUILTIN_TEMPLATE) return [...BUILTIN_ITEMS];
  throw notFound('inspection template', name);
}

export async function listTemplates(ctx: Ctx) {
  const imported = await importedTemplates(ctx.db);
  const rows = imported.map((t) => ({ name: t.name, items: t.items, source: 'imported', imported_at: t.imported_at }));
  if (!imported.some((t) => t.name === BUILTIN_TEMPLATE)) rows.unshift({ name: BUILTIN_TEMPLATE, items: BUILTIN_ITEMS.length, source: 'built-in', imported_at: '' });
  return rows;
}

export async function showTemplate(ctx: Ctx, name: string) {
  return { name, items: await loadTemplate(ctx, name) };
}

/** `inspection template import FILE [--name NAME]`: the §16 columns; re-importing a name replaces it. */
export async function importTemplate(ctx: Ctx, file: string, nameInput?: string) {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFound('file', file);
    throw invalid('FILE', file, `a readable CSV file (${code ?? (err as Error).message})`);
  }
  const name = cleanText('name', nameInput ?? path.basename(file).replace(/\.[^.]*$/, ''), 100);
  if (!name) throw invalid('--name', nameInput ?? '', 'a template name');
  const rows = parseCsv(decodeCsv(bytes).text).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (!rows.length) throw invalid('FILE', file, `a CSV with the header ${TEMPLATE_COLUMNS.join(',')}`);
  const header = trimHeader(rows[0]!.cells);
  const missingCols = ['item', 'kind'].filter((c) => !header.includes(c));
  if (missingCols.length) throw invalid('FILE', file, `a header with the columns ${TEMPLATE_COLUMNS.join(',')} (missing: ${missingCols.join(', ')})`);
  const unknown = header.filter((h) => h && !(TEMPLATE_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw invalid('FILE', file, `only the columns ${TEMPLATE_COLUMNS.join(',')} (unknown: ${unknown.join(', ')})`);
  const items = checkTemplateItems(rows.slice(1).map((r) => {
    const rec: Record<string, string> = {};
    header.forEach((h, i) => { rec[h] = r.cells[i] ?? ''; });
    return parseTemplateItem(rec, r.line);
  }));
  const at = toIso(ctx.now);
  const replaced = await ctx.db.transaction(async (db) => {
    const r = await saveTemplate(db, name, items, at);
    await audit(ctx, 'import_template', 'inspection_template', name, { items: items.length, ...(r ? { replaced: true } : {}) });
    return r;
  });
  return { name, items: items.length, replaced };
}

// ---------------------------------------------------------------- photos

interface PhotoFile { item: string; file: string; name: string; bytes: Buffer; sha256: string; type: string }

/** Read and check one photo: a regular file, at most 20 MB, an image by its first bytes. */
export function readPhoto(item: string, file: string): PhotoFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw notFound('photo file', file);
  }
  if (!st.isFile()) throw invalid('--photo', `${item}=${file}`, 'a regular file');
  if (st.size > MAX_PHOTO_BYTES) throw invalid('--photo', `${item}=${file}`, `a photo of at most 20 MB (this one is ${(st.size / 1048576).toFixed(1)} MB)`);
  const bytes = fs.readFileSync(file);
  const type = imageTypeOf(bytes.subarray(0, 16));
  if (!type) throw invalid('--photo', `${item}=${file}`, 'an image (JPEG, PNG, HEIC or WebP)');
  return { item, file, name: path.basename(file), bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), type };
}

/** Copy into attachments/<sha256> (mode 0600) unless there; returns whether this call wrote it. */
function storePhoto(dir: string, p: PhotoFile): boolean {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, p.sha256);
  if (fs.existsSync(target)) return false;
  const temp = path.join(dir, `.${p.sha256}.${process.pid}.tmp`);
  fs.writeFileSync(temp, p.bytes, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, target);
  return true;
}

// ---------------------------------------------------------------- order inspect

export interface InspectInput {
  template?: string;
  /** `ITEM=VALUE[:note]` */
  sets: readonly string[];
  /** `ITEM=FILE` */
  photos?: readonly string[];
  at?: string;
}

export interface InspectResult {
  order_number: string;
  template: string;
  readings: Array<{ item: string; value: number | null; passed: boolean | null; unit: string | null; colour: string; note: string | null; finding: string | null; photos: string[] }>;
  findings: string[];
}

/** Check the sets against the template before anything is asked or written (the prompt uses it too). */
export function readingsFrom(items: readonly TemplateItem[], template: string, sets: readonly string[]): Reading[] {
  const seen = new Map<string, Reading>();
  for (const s of sets) {
    const { item, value, note } = parseSet(s);
    const it = findItem(items, item, template);
    seen.set(it.item, parseValue(it, value, note ? cleanText('note', note, 500) : null));
  }
  return [...seen.values()];
}

export async function inspectOrder(ctx: Ctx, numberText: string, input: InspectInput): Promise<InspectResult> {
  const template = (input.template ?? BUILTIN_TEMPLATE).trim();
  const items = await loadTemplate(ctx, template);
  const readings = readingsFrom(items, template, input.sets);
  const photos = (input.photos ?? []).map((p) => {
    const { item, file } = parsePhoto(p);
    return readPhoto(findItem(items, item, template).item, file);
  });
  for (const p of photos) {
    if (!readings.some((r) => r.item === p.item)) throw usage(`--photo ${p.item}=${p.file} needs a reading of ${p.item} (--set ${p.item}=VALUE)`);
  }
  if (!readings.length) throw usage('missing required --set ITEM=VALUE (at least one reading)');
  const number = parseOrderNumber(numberText);
  const dir = attachmentsDir(ctx);
  const written: string[] = [];
  try {
    return await ctx.db.transaction(async (db) => {
      const order = await orderByNumber(db, number);
      if (!order) throw notFound('order', number);
      if (order.status === 'delivered' || order.status === 'cancelled') throw conflict(`order ${order.number} is ${order.status}: inspect the car on an open order`);
      let atDate = ctx.now;
      if (input.at) {
        atDate = parseLocalDateTime('at', input.at, ctx.tz);
        if (atDate.getTime() > ctx.now.getTime()) throw invalid('at', input.at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
      }
      const at = toIso(atDate);
      if (at < order.opened_at) throw invalid('at', input.at ?? formatLocal(ctx.now, ctx.tz), `must not be before the order was opened (${formatLocal(order.opened_at, ctx.tz)})`);
      const approved = (await linesOf(db, order.id)).filter((l) => l.status === 'approved' && !(l as { removed_at?: string | null }).removed_at);
      const inspectionId = await insertInspection(db, { order_id: order.id, vehicle_id: order.vehicle_id, template, mileage: order.mileage_in, inspected_at: at });
      const out: InspectResult = { order_number: order.number, template, readings: [], findings: [] };
      for (const r of readings) {
        const it = items.find((i) => i.item === r.item)!;
        const colour = colourOf(it, r.value, r.passed);
        const readingId = await insertReading(db, {
          inspection_id: inspectionId, item: it.item, item_group: it.group, kind: it.kind, unit: it.unit, value: r.value,
          passed: r.passed === null ? null : r.passed ? 1 : 0, colour, note: r.note, better: it.better, yellow_at: it.yellow_at,
          red_at: it.red_at, wear_per_1000km: it.wear_per_1000km,
        });
        const mine = photos.filter((p) => p.item === it.item);
        for (const p of mine) {
          if (await insertAttachment(db, { sha256: p.sha256, size: p.bytes.length, type: p.type, stored_at: at })) {
            if (storePhoto(dir, p)) written.push(path.join(dir, p.sha256));
          } else if (storePhoto(dir, p)) {
            written.push(path.join(dir, p.sha256)); // recorded before but its file was gone: put it back
          }
          await linkPhoto(db, readingId, p.sha256, p.name);
        }
        const severity = severityOf(colour);
        let finding: string | null = null;
        const earlier = severity ? await openItemFinding(db, order.vehicle_id, it.item) : undefined;
        if (severity && earlier) {
          // the same item still open from an earlier reading: one finding, at the worse severity
          await raiseSeverity(db, earlier.id, severity);
          finding = findingLabel(earlier.id);
        } else if (severity && !approved.some((l) => l.description.includes(it.item))) {
          const shown = r.value !== null ? `${r.value}${it.unit ?? ''}` : 'fail';
          const id = await insertInspectionFinding(db, {
            vehicle_id: order.vehicle_id, order_id: order.id, created_at: at, severity, reading_id: readingId,
            description: `${it.item} ${shown}${r.note ? ` (${r.note})` : ''}`,
          });
          finding = findingLabel(id);
          out.findings.push(finding);
        }
        out.readings.push({ item: it.item, value: r.value, passed: r.passed, unit: it.unit, colour, note: r.note, finding, photos: mine.map((p) => p.sha256) });
      }
      const details = { template, readings: out.readings.length, ...(out.findings.length ? { findings: out.findings } : {}), ...(photos.length ? { photos: photos.length } : {}) };
      await insertEvent(db, { order_id: order.id, at, event: 'inspected', details });
      await audit(ctx, 'inspect', 'order', order.number, details);
      return out;
    });
  } catch (err) {
    for (const f of written) fs.rmSync(f, { force: true });
    throw err;
  }
}

// ---------------------------------------------------------------- read side

export interface ShownReading {
  item: string; group: string; value: number | null; passed: boolean | null; unit: string | null; colour: string; note: string | null;
  inspected_at: string; mileage: number; order_number: string; photos: Array<{ sha256: string; name: string }>;
  remaining_life: RemainingLife | null;
}

function shown(r: ReadingRow, history: readonly ReadingRow[]): ShownReading {
  const measures = history.filter((h) => h.item === r.item && h.value !== null && h.inspected_at <= r.inspected_at).map((h) => ({ km: h.mileage, value: h.value! }));
  return {
    item: r.item, group: r.item_group, value: r.value, passed: r.passed === null ? null : r.passed === 1, unit: r.unit, colour: r.colour, note: r.note,
    inspected_at: r.inspected_at, mileage: r.mileage, order_number: r.order_number,
    photos: r.photos ? (JSON.parse(r.photos) as Array<{ sha256: string; name: string }>) : [],
    remaining_life: r.value === null ? null : remainingLife({ better: r.better, red_at: r.red_at, wear_per_1000km: r.wear_per_1000km }, measures),
  };
}

/** The readings taken on an order, with the remaining life as it stood then. */
export async function orderInspection(ctx: Ctx, orderId: number, vehicleId: number): Promise<ShownReading[]> {
  const [mine, all] = await Promise.all([readingsOfOrder(ctx.db, orderId), readingsOfVehicle(ctx.db, vehicleId)]);
  return mine.map((r) => shown(r, all));
}

/** The latest reading of each item of a vehicle, with its remaining life. */
export async function vehicleInspection(ctx: Ctx, vehicleId: number): Promise<ShownReading[]> {
  const all = await readingsOfVehicle(ctx.db, vehicleId);
  const latest = new Map<string, ReadingRow>();
  for (const r of all) latest.set(r.item, r);
  return [...latest.values()].map((r) => shown(r, all));
}
