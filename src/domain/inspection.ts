/**
 * Vehicle inspection (SPEC §12, §16), the pure part: template items, the built-in 常规检查, the
 * traffic light of a reading, `--set ITEM=VALUE[:note]`, and the remaining life of pads and tyres.
 */
import { conflict, invalid, PitstopError, Exit } from './errors.js';

export type ItemKind = 'measure' | 'pass_fail';
export type Colour = 'green' | 'yellow' | 'red';
export type Severity = 'safety' | 'advised';

export interface TemplateItem {
  item: string;
  group: string;
  kind: ItemKind;
  unit: string | null;
  /** which way is good: pad thickness 'higher', tyre age 'lower' */
  better: 'higher' | 'lower' | null;
  yellow_at: number | null;
  red_at: number | null;
  /** what the item can physically be: outside is a typing mistake (exit 2) */
  min: number | null;
  max: number | null;
  /** typical wear, in the unit per 1 000 km, for the remaining life when the car has no history */
  wear_per_1000km: number | null;
}

export const TEMPLATE_COLUMNS = ['item', 'group', 'kind', 'unit', 'better', 'yellow_at', 'red_at', 'min', 'max', 'wear_per_1000km'] as const;

export const BUILTIN_TEMPLATE = '常规检查';

const m = (item: string, group: string, unit: string, better: 'higher' | 'lower', yellow: number, red: number, min: number, max: number, wear: number | null = null): TemplateItem =>
  ({ item, group, kind: 'measure', unit, better, yellow_at: yellow, red_at: red, min, max, wear_per_1000km: wear });
const pf = (item: string, group: string): TemplateItem =>
  ({ item, group, kind: 'pass_fail', unit: null, better: null, yellow_at: null, red_at: null, min: null, max: null, wear_per_1000km: null });

/** The built-in template: thresholds from common workshop practice (pads 3 mm, tread 1.6 mm legal minimum). */
export const BUILTIN_ITEMS: readonly TemplateItem[] = [
  m('前制动片', '制动', 'mm', 'higher', 4, 3, 0, 20, 0.25),
  m('后制动片', '制动', 'mm', 'higher', 4, 3, 0, 20, 0.15),
  pf('前制动盘', '制动'),
  pf('后制动盘', '制动'),
  pf('制动液', '制动'),
  pf('驻车制动', '制动'),
  m('左前轮胎花纹', '轮胎', 'mm', 'higher', 3, 1.6, 0, 20, 0.12),
  m('右前轮胎花纹', '轮胎', 'mm', 'higher', 3, 1.6, 0, 20, 0.12),
  m('左后轮胎花纹', '轮胎', 'mm', 'higher', 3, 1.6, 0, 20, 0.1),
  m('右后轮胎花纹', '轮胎', 'mm', 'higher', 3, 1.6, 0, 20, 0.1),
  m('轮胎年限', '轮胎', '年', 'lower', 5, 6, 0, 30),
  pf('轮胎气压', '轮胎'),
  pf('备胎', '轮胎'),
  m('蓄电池电压', '电气', 'V', 'higher', 12.4, 12, 0, 16),
  pf('前照灯', '电气'),
  pf('转向灯', '电气'),
  pf('制动灯', '电气'),
  pf('喇叭', '电气'),
  pf('雨刮片', '电气'),
  pf('机油', '油液'),
  pf('冷却液', '油液'),
  pf('变速箱油', '油液'),
  pf('转向助力油', '油液'),
  pf('玻璃水', '油液'),
  pf('传动皮带', '发动机舱'),
  pf('空气滤芯', '发动机舱'),
  pf('空调滤芯', '发动机舱'),
  pf('渗漏检查', '底盘'),
  pf('减震器', '底盘'),
  pf('悬挂与球头', '底盘'),
  pf('转向拉杆', '底盘'),
  pf('排气系统', '底盘'),
];

function num(field: string, text: string | undefined, line: number): number | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(t)) throw invalid(`${field} (line ${line})`, t, 'a number like 3 or 1.6');
  return Number(t);
}

/** One CSV record of `inspection template import` (header keys as TEMPLATE_COLUMNS), checked. */
export function parseTemplateItem(rec: Readonly<Record<string, string | undefined>>, line: number): TemplateItem {
  const item = (rec.item ?? '').trim();
  if (!item) throw invalid(`item (line ${line})`, rec.item ?? '', 'an item name');
  if (/[=:]/.test(item)) throw invalid(`item (line ${line})`, item, 'a name without "=" or ":" (they separate --set ITEM=VALUE:note)');
  const group = (rec.group ?? '').trim() || '其他';
  const kind = (rec.kind ?? '').trim();
  if (kind !== 'measure' && kind !== 'pass_fail') throw invalid(`kind (line ${line})`, kind, 'measure or pass_fail');
  if (kind === 'pass_fail') return { ...pf(item, group), unit: (rec.unit ?? '').trim() || null };
  const better = (rec.better ?? '').trim();
  if (better !== 'higher' && better !== 'lower') throw invalid(`better (line ${line})`, better, 'higher or lower');
  const yellow = num('yellow_at', rec.yellow_at, line);
  const red = num('red_at', rec.red_at, line);
  if (red === null) throw invalid(`red_at (line ${line})`, '', 'a number (the red threshold of a measure)');
  if (yellow !== null && (better === 'higher' ? yellow < red : yellow > red)) {
    throw invalid(`yellow_at (line ${line})`, rec.yellow_at, `a value on the good side of red_at ${red} (better: ${better})`);
  }
  const min = num('min', rec.min, line);
  const max = num('max', rec.max, line);
  if (min !== null && max !== null && min > max) throw invalid(`min (line ${line})`, rec.min, `at most max ${max}`);
  const wear = num('wear_per_1000km', rec.wear_per_1000km, line);
  if (wear !== null && wear < 0) throw invalid(`wear_per_1000km (line ${line})`, rec.wear_per_1000km, 'a number ≥ 0');
  return { item, group, kind, unit: (rec.unit ?? '').trim() || null, better, yellow_at: yellow, red_at: red, min, max, wear_per_1000km: wear };
}

/** The whole template: its items, each once. */
export function checkTemplateItems(items: readonly TemplateItem[]): TemplateItem[] {
  if (!items.length) throw invalid('template', '(empty)', 'at least one item');
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.item)) throw conflict(`item "${it.item}" appears twice in the template`);
    seen.add(it.item);
  }
  return [...items];
}

/** The colour of a measured value by the thresholds (at the threshold counts as that colour). */
export function colourOf(it: Pick<TemplateItem, 'kind' | 'better' | 'yellow_at' | 'red_at'>, value: number | null, passed: boolean | null): Colour {
  if (it.kind === 'pass_fail') return passed ? 'green' : 'red';
  if (value === null || it.red_at === null) return 'green';
  const worse = (v: number, t: number) => (it.better === 'lower' ? v >= t : v <= t);
  if (worse(value, it.red_at)) return 'red';
  if (it.yellow_at !== null && worse(value, it.yellow_at)) return 'yellow';
  return 'green';
}

export const severityOf = (c: Colour): Severity | null => (c === 'red' ? 'safety' : c === 'yellow' ? 'advised' : null);

export interface Reading {
  item: string;
  value: number | null;
  passed: boolean | null;
  note: string | null;
}

const PASS = new Set(['pass', 'ok', 'y', 'yes', '1', '合格', '正常', '通过', '√']);
const FAIL = new Set(['fail', 'ng', 'n', 'no', '0', '不合格', '异常', '不通过', '×']);

/** Names close to `name` (same letters in part, or a small typo), for "unknown item" messages. */
export function closeNames(name: string, names: readonly string[], limit = 5): string[] {
  const d = (a: string, b: string) => {
    const x = [...a], y = [...b];
    let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
    for (let i = 1; i <= x.length; i++) {
      const cur = [i];
      for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[y.length]!;
  };
  return names
    .map((n) => ({ n, score: n.includes(name) || name.includes(n) ? 0 : d(name, n) }))
    .filter((s) => s.score <= Math.max(2, Math.floor([...name].length / 2)))
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((s) => s.n);
}

export function findItem(items: readonly TemplateItem[], name: string, template: string): TemplateItem {
  const found = items.find((i) => i.item === name.trim());
  if (found) return found;
  const close = closeNames(name.trim(), items.map((i) => i.item));
  throw new PitstopError(Exit.notFound, `item ${JSON.stringify(name)} not found in template ${template}${close.length ? `; close names: ${close.join(', ')}` : ''}`);
}

/** A value typed for an item: a number in min–max for a measure, pass/fail for the rest. */
export function parseValue(it: TemplateItem, text: string, note: string | null = null): Reading {
  const t = text.trim();
  if (it.kind === 'pass_fail') {
    const low = t.toLowerCase();
    if (PASS.has(low)) return { item: it.item, value: null, passed: true, note };
    if (FAIL.has(low)) return { item: it.item, value: null, passed: false, note };
    throw invalid(it.item, t, 'pass or fail');
  }
  if (!/^-?\d+(\.\d+)?$/.test(t)) throw invalid(it.item, t, `a number${it.unit ? ` in ${it.unit}` : ''}`);
  const v = Number(t);
  if ((it.min !== null && v < it.min) || (it.max !== null && v > it.max)) {
    throw invalid(it.item, t, `a value from ${it.min ?? '-∞'} to ${it.max ?? '∞'}${it.unit ? ` ${it.unit}` : ''}`);
  }
  return { item: it.item, value: v, passed: null, note };
}

/** `--set ITEM=VALUE[:note]` (the note may itself hold ":"). */
export function parseSet(text: string): { item: string; value: string; note: string | null } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw invalid('--set', text, 'ITEM=VALUE[:note]');
  const item = text.slice(0, eq).trim();
  const rest = text.slice(eq + 1);
  const colon = rest.search(/[:：]/);
  const value = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const note = colon < 0 ? null : rest.slice(colon + 1).trim() || null;
  if (!value) throw invalid('--set', text, 'ITEM=VALUE[:note] with a value');
  return { item, value, note };
}

/** `--photo ITEM=FILE` */
export function parsePhoto(text: string): { item: string; file: string } {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw invalid('--photo', text, 'ITEM=FILE');
  return { item: text.slice(0, eq).trim(), file: text.slice(eq + 1) };
}

/** The kind of image by its first bytes (JPEG, PNG, HEIC, WebP), or null. */
export function imageTypeOf(head: Uint8Array): 'jpeg' | 'png' | 'heic' | 'webp' | null {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47 && b(4) === 0x0d && b(5) === 0x0a && b(6) === 0x1a && b(7) === 0x0a) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.slice(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(ascii(8, 12))) return 'heic';
  return null;
}

export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** One earlier (or this) measurement of an item on the vehicle. */
export interface Measurement {
  km: number;
  value: number;
}

export interface RemainingLife {
  km: number;
  /** 'own': from this vehicle's readings; 'template': from the template's typical wear */
  basis: 'own' | 'template';
  wear_per_1000km: number;
}

/**
 * Km left until the item reaches red_at, for items that wear down (better 'higher', with a red
 * threshold). The wear is this vehicle's own between its readings since the part was last fitted (a
 * value that went up means a new part: earlier readings no longer count) when there are two or more
 * over some distance with some wear, else the template's typical wear. Never negative; null without a
 * measurement or without any wear to go by.
 */
export function remainingLife(
  item: Pick<TemplateItem, 'better' | 'red_at' | 'wear_per_1000km'>,
  history: readonly Measurement[],
): RemainingLife | null {
  // only what wears down with distance (the template gives a typical wear): pads and tyres
  if (item.better !== 'higher' || item.red_at === null || item.wear_per_1000km === null || !history.length) return null;
  const byKm = [...history].sort((a, b) => a.km - b.km);
  let since = 0;
  for (let i = 1; i < byKm.length; i++) if (byKm[i]!.value > byKm[i - 1]!.value) since = i;
  const run = byKm.slice(since);
  const last = run[run.length - 1]!;
  const first = run[0]!;
  let wear: number | null = null;
  let basis: RemainingLife['basis'] = 'template';
  if (run.length >= 2 && last.km > first.km && first.value > last.value) {
    wear = ((first.value - last.value) / (last.km - first.km)) * 1000;
    basis = 'own';
  } else if (item.wear_per_1000km !== null && item.wear_per_1000km > 0) {
    wear = item.wear_per_1000km;
  }
  if (wear === null) return null;
  const km = Math.max(0, Math.floor(((last.value - item.red_at) / wear) * 1000));
  return { km, basis, wear_per_1000km: Math.round(wear * 1000) / 1000 };
}
