import type { Db } from './sqlite.js';

export interface DbStaff {
  id: number;
  name: string;
  role: string;
  active: 0 | 1;
}

export async function insertStaff(db: Db, s: Omit<DbStaff, 'id'>): Promise<number> {
  return (await db.run('INSERT INTO staff (name, role, active) VALUES (?, ?, ?)', [s.name, s.role, s.active])).lastID;
}

export function staffByName(db: Db, name: string): Promise<DbStaff | undefined> {
  return db.get<DbStaff>('SELECT * FROM staff WHERE name = ?', [name]);
}

export function staffById(db: Db, id: number): Promise<DbStaff | undefined> {
  return db.get<DbStaff>('SELECT * FROM staff WHERE id = ?', [id]);
}

export function listStaff(db: Db, includeInactive: boolean): Promise<DbStaff[]> {
  return db.all<DbStaff>(`SELECT * FROM staff ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY id`);
}

export async function setStaffActive(db: Db, id: number, active: boolean): Promise<void> {
  await db.run('UPDATE staff SET active = ? WHERE id = ?', [active ? 1 : 0, id]);
}
