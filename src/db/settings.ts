import type { Db } from './sqlite.js';
import { Settings } from '../domain/settings.js';

export async function loadSettings(db: Db): Promise<Settings> {
  const rows = await db.all<{ key: string; value: string }>('SELECT key, value FROM settings');
  return new Settings(new Map(rows.map((r) => [r.key, r.value])));
}

export async function storeSetting(db: Db, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
