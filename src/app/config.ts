import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { refreshSettings } from './context.js';
import { checkSetting, SETTINGS, SETTING_KEYS } from '../domain/settings.js';
import { invalid } from '../errors.js';
import { storeSetting } from '../db/settings.js';

export interface ConfigRow {
  key: string;
  value: string;
  default: string;
  is_default: boolean;
}

/** A secret's value as shown: masked, never the text. */
export function shownValue(key: string, value: string): string {
  const def = SETTINGS.get(key);
  if (def?.mask) return def.mask(value);
  return def?.secret && value ? '********' : value;
}

export function listConfig(ctx: Ctx): ConfigRow[] {
  return SETTING_KEYS.map((key) => ({
    key,
    value: shownValue(key, ctx.settings.get(key)),
    default: SETTINGS.get(key)!.default,
    is_default: !ctx.settings.stored.has(key),
  }));
}

export function getConfig(ctx: Ctx, key: string): string {
  if (!SETTINGS.has(key)) throw invalid('setting', key, 'unknown key; see `pitstop config list`');
  return shownValue(key, ctx.settings.get(key));
}

export async function setConfig(ctx: Ctx, key: string, value: string): Promise<string> {
  let normalized = checkSetting(key, value, ctx.settings.stored);
  // a schedule must be one node-cron accepts and that fires (src/app/schedules.ts)
  if (/^jobs\.[a-z-]+\.schedule$/.test(key)) normalized = (await import('./schedules.js')).checkSchedule(key, normalized, ctx.now, ctx.tz);
  await ctx.db.transaction(async (db) => {
    const before = ctx.settings.get(key);
    await storeSetting(db, key, normalized);
    await audit(ctx, 'set', 'setting', key, { from: shownValue(key, before), to: shownValue(key, normalized) });
  });
  await refreshSettings(ctx);
  return shownValue(key, normalized);
}
