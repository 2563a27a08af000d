import type { Db } from './sqlite.js';

export interface DbCustomer {
  id: number;
  name: string;
  phone: string;
  kind: 'private' | 'fleet';
  company: string | null;
  address: string | null;
  note: string | null;
  /** both channels refused: kept equal to no_calls AND no_messages (outside SQL tools read it) */
  do_not_contact: 0 | 1;
  created_at: string;
  /** refuses calls: on no calling list (SPEC §13) */
  no_calls: 0 | 1;
  /** refuses messages: gets none */
  no_messages: 0 | 1;
  /** when a call found the phone wrong (contact record / callback record --result wrong_number); cleared by a new phone */
  phone_bad_at?: string | null;
}

export type NewCustomer = Omit<DbCustomer, 'id' | 'phone_bad_at'>;

const COLUMNS = ['name', 'phone', 'kind', 'company', 'address', 'note', 'do_not_contact', 'created_at', 'no_calls', 'no_messages'] as const;
export const CUSTOMER_COLUMNS: readonly string[] = COLUMNS;

export async function insertCustomer(db: Db, c: NewCustomer): Promise<number> {
  const r = await db.run(
    `INSERT INTO customers (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`,
    COLUMNS.map((k) => c[k]),
  );
  return r.lastID;
}

export async function updateCustomer(db: Db, id: number, changes: Partial<NewCustomer>): Promise<void> {
  const keys = Object.keys(changes).filter((k) => (COLUMNS as readonly string[]).includes(k) || k === 'phone_bad_at') as (keyof NewCustomer)[];
  if (!keys.length) return;
  await db.run(`UPDATE customers SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k] as string | number | null), id]);
}

export function customerById(db: Db, id: number): Promise<DbCustomer | undefined> {
  return db.get<DbCustomer>('SELECT * FROM customers WHERE id = ?', [id]);
}

export function customerByPhone(db: Db, phone: string): Promise<DbCustomer | undefined> {
  return db.get<DbCustomer>('SELECT * FROM customers WHERE phone = ?', [phone]);
}

/** A merged customer's phone, kept as an alias of the survivor. */
export function customerByAlias(db: Db, phone: string): Promise<DbCustomer | undefined> {
  return db.get<DbCustomer>('SELECT c.* FROM customer_aliases a JOIN customers c ON c.id = a.customer_id WHERE a.phone = ?', [phone]);
}

export function customersByName(db: Db, name: string): Promise<DbCustomer[]> {
  return db.all<DbCustomer>('SELECT * FROM customers WHERE name = ? ORDER BY id LIMIT 20', [name]);
}

export async function existingPhones(db: Db, phones: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < phones.length; i += 500) {
    const chunk = phones.slice(i, i + 500);
    const rows = await db.all<{ phone: string }>(`SELECT phone FROM customers WHERE phone IN (${chunk.map(() => '?').join(',')})`, chunk);
    rows.forEach((r) => found.add(r.phone));
  }
  return found;
}

/** Search by name, phone, company, or a plate of theirs. */
export function searchCustomers(db: Db, text: string | undefined, limit: number): Promise<(DbCustomer & { vehicles: number })[]> {
  const base = `SELECT c.*, (SELECT COUNT(*) FROM vehicles v WHERE v.customer_id = c.id AND v.active = 1) AS vehicles FROM customers c`;
  if (!text) return db.all(`${base} ORDER BY c.id LIMIT ?`, [limit]);
  const like = `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return db.all(
    `${base} WHERE c.name LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1 ESCAPE '\\' OR c.company LIKE ?1 ESCAPE '\\'
       OR c.id IN (SELECT customer_id FROM vehicles WHERE plate LIKE ?1 ESCAPE '\\')
     ORDER BY c.id LIMIT ?2`,
    [like, limit],
  );
}
