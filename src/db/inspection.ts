/** Inspection storage (SPEC §12): templates, inspections, readings, photos. */
import type { Db } from './sqlite.js';
import type { Colour, ItemKind, TemplateItem } from '../domain/inspection.js';

interface DbTemplateItem {
  item: string; item_group: string; kind: ItemKind; unit: string | null; better: 'higher' | 'lower' | null;
  yellow_at: number | null; red_at: number | null; min: number | null; max: number | null; wear_per_1000km: number | null;
}
const toItem = (r: DbTemplateItem): TemplateItem => ({
  item: r.item, group: r.item_group, kind: r.kind, unit: r.unit, better: r.better, yellow_at: r.yellow_at, red_at: r.red_at,
  min: r.min, max: r.max, wear_per_1000km: r.wear_per_1000km,
});

export async function templateItems(db: Db, name: string): Promise<TemplateItem[] | null> {
  const t = await db.get<{ id: number }>('SELECT id FROM inspection_templates WHERE name = ?', [name]);
  if (!t) return null;
  return (await db.all<DbTemplateItem>('SELECT * FROM inspection_template_items WHERE template_id = ? ORDER BY position', [t.id])).map(toItem);
}

export function importedTemplates(db: Db): Promise<Array<{ name: string; imported_at: string; items: number }>> {
  return db.all(`SELECT t.name, t.imported_at, (SELECT count(*) FROM inspection_template_items i WHERE i.template_id = t.id) AS items
                   FROM inspection_templates t ORDER BY t.name`);
}

/** Replace (or create) a template by name with these items. */
export async function saveTemplate(db: Db, name: string, items: readonly TemplateItem[], at: string): Promise<boolean> {
  const old = await db.get<{ id: number }>('SELECT id FROM inspection_templates WHERE name = ?', [name]);
  let id: number;
  if (old) {
    id = old.id;
    await db.run('DELETE FROM inspection_template_items WHERE template_id = ?', [id]);
    await db.run('UPDATE inspection_templates SET imported_at = ? WHERE id = ?', [at, id]);
  } else {
    id = (await db.run('INSERT INTO inspection_templates (name, imported_at) VALUES (?, ?)', [name, at])).lastID;
  }
  let pos = 0;
  for (const it of items) {
    await db.run(
      `INSERT INTO inspection_template_items (template_id, position, item, item_group, kind, unit, better, yellow_at, red_at, min, max, wear_per_1000km)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, ++pos, it.item, it.group, it.kind, it.unit, it.better, it.yellow_at, it.red_at, it.min, it.max, it.wear_per_1000km],
    );
  }
  return !!old;
}

export async function insertInspection(db: Db, i: { order_id: number; vehicle_id: number; template: string; mileage: number; inspected_at: string }): Promise<number> {
  return (await db.run('INSERT INTO inspections (order_id, vehicle_id, template, mileage, inspected_at) VALUES (?, ?, ?, ?, ?)',
    [i.order_id, i.vehicle_id, i.template, i.mileage, i.inspected_at])).lastID;
}

export interface DbReading {
  id: number; inspection_id: number; item: string; item_group: string; kind: ItemKind; unit: string | null;
  value: number | null; passed: number | null; colour: Colour; note: string | null;
  better: 'higher' | 'lower' | null; yellow_at: number | null; red_at: number | null; wear_per_1000km: number | null;
}

export async function insertReading(db: Db, r: Omit<DbReading, 'id'>): Promise<number> {
  return (await db.run(
    `INSERT INTO inspection_readings (inspection_id, item, item_group, kind, unit, value, passed, colour, note, better, yellow_at, red_at, wear_per_1000km)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.inspection_id, r.item, r.item_group, r.kind, r.unit, r.value, r.passed, r.colour, r.note, r.better, r.yellow_at, r.red_at, r.wear_per_1000km],
  )).lastID;
}

/** Record a stored photo once (by its hash); true when it is new. */
export async function insertAttachment(db: Db, a: { sha256: string; size: number; type: string; stored_at: string }): Promise<boolean> {
  const r = await db.run('INSERT OR IGNORE INTO attachments (sha256, size, type, stored_at) VALUES (?, ?, ?, ?)', [a.sha256, a.size, a.type, a.stored_at]);
  return r.changes > 0;
}

export async function linkPhoto(db: Db, readingId: number, sha256: string, originalName: string): Promise<void> {
  await db.run('INSERT OR IGNORE INTO reading_photos (reading_id, sha256, original_name) VALUES (?, ?, ?)', [readingId, sha256, originalName]);
}

export async function insertInspectionFinding(db: Db, f: {
  vehicle_id: number; order_id: number; description: string; created_at: string; severity: string; reading_id: number;
}): Promise<number> {
  return (await db.run(
    `INSERT INTO findings (vehicle_id, order_id, line_id, description, status, created_at, severity, reading_id) VALUES (?, ?, NULL, ?, 'open', ?, ?, ?)`,
    [f.vehicle_id, f.order_id, f.description, f.created_at, f.severity, f.reading_id],
  )).lastID;
}

export type ReadingRow = DbReading & { inspected_at: string; mileage: number; template: string; order_number: string; photos: string | null };

const READING_SELECT = `
SELECT r.*, i.inspected_at, i.mileage, i.template, o.number AS order_number,
       (SELECT json_group_array(json_object('sha256', p.sha256, 'name', p.original_name)) FROM reading_photos p WHERE p.reading_id = r.id) AS photos
  FROM inspection_readings r
  JOIN inspections i ON i.id = r.inspection_id
  JOIN orders o ON o.id = i.order_id`;

export function readingsOfOrder(db: Db, orderId: number): Promise<ReadingRow[]> {
  return db.all(`${READING_SELECT} WHERE i.order_id = ? ORDER BY i.inspected_at, i.id, r.id`, [orderId]);
}

/** Every reading of the vehicle, oldest first (the last one of each item is its latest). */
export function readingsOfVehicle(db: Db, vehicleId: number): Promise<ReadingRow[]> {
  return db.all(`${READING_SELECT} WHERE i.vehicle_id = ? AND o.status <> 'cancelled' ORDER BY i.inspected_at, i.id, r.id`, [vehicleId]);
}

export function attachmentHashes(db: Db): Promise<Array<{ sha256: string }>> {
  return db.all('SELECT sha256 FROM attachments ORDER BY sha256');
}

/** The open finding an earlier reading of this item raised on the vehicle, if any. */
export function openItemFinding(db: Db, vehicleId: number, item: string): Promise<{ id: number; severity: string | null } | undefined> {
  return db.get(
    `SELECT f.id, f.severity FROM findings f JOIN inspection_readings r ON r.id = f.reading_id
      WHERE f.vehicle_id = ? AND f.status = 'open' AND r.item = ? ORDER BY f.id LIMIT 1`,
    [vehicleId, item],
  );
}

export async function raiseSeverity(db: Db, findingId: number, severity: string): Promise<void> {
  await db.run(`UPDATE findings SET severity = ? WHERE id = ? AND severity = 'advised' AND ? = 'safety'`, [severity, findingId, severity]);
}
