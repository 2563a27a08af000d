/** The settings of SPEC §3: keys, defaults and the validation `config set` applies. Pure. */
import { invalid } from './errors.js';
import { isTimeZone, parseClock } from './time.js';
import { parseYuan } from './money.js';
import { checkTemplate, TEMPLATE_PLACEHOLDERS, type TemplateKind } from './templates.js';
import { parseSignRequired } from './signatures.js';
import { parseQuiet } from './outbox.js';
import { checkGroupUrl, maskUrl, parseStoreCode } from './group.js';

const templateForm = (kind: TemplateKind) => `text up to 1000 characters; placeholders ${TEMPLATE_PLACEHOLDERS[kind].map((p) => `{${p}}`).join(' ')}`;

export const JOB_NAMES = [
  'appointment-reminders',
  'preparation',
  'arrears',
  'callbacks',
  'maintenance-due',
  'lapsed-customers',
  'no-shows',
  'revenue-weekly',
  'revenue-monthly',
  'callback-stats',
  'credits',
  'overdue',
  'declined-work',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const DEFAULT_SCHEDULES: Record<JobName, string> = {
  'appointment-reminders': '0 17 * * *',
  preparation: '0 16 * * *',
  arrears: '0 8 * * 1',
  callbacks: '0 9 * * *',
  'maintenance-due': '30 8 * * *',
  'lapsed-customers': '45 8 * * *',
  'no-shows': '*/15 * * * *',
  'revenue-weekly': '0 7 * * 1',
  'revenue-monthly': '0 7 1 * *',
  'callback-stats': '30 7 1 * *',
  credits: '0 8 * * 1',
  overdue: '0 10 * * *',
  'declined-work': '0 10 * * *',
};

interface SettingDef {
  key: string;
  default: string;
  /** The allowed form, shown when a value is refused. */
  form: string;
  /** Returns the value to store (normalized) or throws. */
  check: (value: string) => string;
  /** a secret: `config list`/`get` and the audit log show it masked */
  secret?: boolean;
  /** holds a secret part: `config list`/`get` and the audit log show the value through this */
  mask?: (value: string) => string;
}

const intCheck = (min: number, max: number) => (v: string) => {
  if (!/^\d+$/.test(v) || +v < min || +v > max) throw new Error(`a whole number from ${min} to ${max}`);
  return String(+v);
};
const oneOf = (...values: string[]) => (v: string) => {
  if (!values.includes(v)) throw new Error(values.join(' or '));
  return v;
};
const clockCheck = (v: string) => {
  parseClock('time', v);
  return v;
};
// Control characters and bidi overrides (which can make a message read differently than it is stored).
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const anyText = (max: number) => (v: string) => {
  if (v.length > max || UNSAFE.test(v)) throw new Error(`text up to ${max} characters, without control or direction-override characters`);
  return v;
};

/** `HH:mm-HH:mm[,HH:mm-HH:mm…]`, each window starting before it ends. */
export function parseWindows(text: string): Array<[number, number]> {
  return text.split(',').map((part) => {
    const m = /^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/.exec(part);
    if (!m) throw new Error('HH:mm-HH:mm[,HH:mm-HH:mm…]');
    const from = parseClock('window', m[1]!);
    const to = parseClock('window', m[2]!);
    if (from >= to) throw new Error('each window must start before it ends');
    return [from, to];
  });
}

const CRON_RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/** A five-field cron expression (minute hour day-of-month month day-of-week). */
export function checkCron(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error('a cron expression of 5 fields, like "0 17 * * *"');
  fields.forEach((field, i) => {
    const [lo, hi] = CRON_RANGES[i]!;
    for (const item of field.split(',')) {
      const m = /^(\*|([0-9a-z]+)(?:-([0-9a-z]+))?)(?:\/(\d+))?$/i.exec(item);
      if (!m) throw new Error(`a cron expression; field ${i + 1} ${JSON.stringify(field.length > 20 ? field.slice(0, 17) + '...' : field)} is not valid`);
      for (const n of [m[2], m[3]]) {
        if (n === undefined || NAMES.test(n)) continue;
        if (!/^\d+$/.test(n) || +n < lo || +n > hi) throw new Error(`a cron expression; field ${i + 1} values run ${lo}–${hi}`);
      }
      if (m[4] !== undefined && +m[4] === 0) throw new Error('a cron expression; a step must be at least 1');
    }
  });
  return fields.join(' ');
}

export const REMINDER_TEMPLATES = {
  'zh-CN':
    '{customer}您好，{shop}提醒您：您的爱车{plate}已预约{time}到店{service}。请携带行驶证、防盗密码、轮胎防盗螺栓钥匙和保养手册。如需改期请致电{phone}。',
  en:
    'Hello {customer}, {shop} reminds you of your appointment for {plate} at {time}{service}. Please bring the vehicle documents, the anti-theft code, the wheel-lock key and the service records. To reschedule call {phone}.',
};
export const MAINTENANCE_TEMPLATES = {
  'zh-CN':
    '{customer}您好，{shop}提醒您：您的爱车{plate}预计{due_on}需要进行定期保养（估算里程约{estimated_km}公里）。欢迎致电{phone}预约。',
  en:
    'Hello {customer}, {shop} reminds you that {plate} is due for its regular service around {due_on} (about {estimated_km} km). Call {phone} to book.',
};
export const DECLINED_TEMPLATES = {
  'zh-CN':
    '{customer}您好，{shop}提醒您：您的爱车{plate}在{found_on}检查时发现的项目（{items}）尚未维修，为了行车安全，欢迎致电{phone}预约。',
  en:
    'Hello {customer}, {shop} reminds you that the work found on {plate} on {found_on} ({items}) is still to be done. For your safety, call {phone} to book.',
};

const defs: SettingDef[] = [
  { key: 'shop.name', default: 'My Auto Service', form: 'text up to 100 characters', check: anyText(100) },
  { key: 'shop.phone', default: '', form: 'a phone number, digits, spaces, dashes, +', check: (v) => {
    if (v && !/^[0-9+\-\s()]{3,30}$/.test(v)) throw new Error('a phone number');
    return v;
  } },
  { key: 'shop.address', default: '', form: 'text up to 200 characters (printed on the documents)', check: anyText(200) },
  { key: 'shop.timezone', default: 'Asia/Shanghai', form: 'an IANA time zone like Asia/Shanghai', check: (v) => {
    if (!isTimeZone(v)) throw new Error('an IANA time zone like Asia/Shanghai');
    return v;
  } },
  { key: 'shop.bays', default: '4', form: 'a whole number from 1 to 500', check: intCheck(1, 500) },
  { key: 'shop.open', default: '08:30', form: 'HH:mm', check: clockCheck },
  { key: 'shop.close', default: '18:00', form: 'HH:mm', check: clockCheck },
  { key: 'booking.minutes', default: '60', form: 'a whole number of minutes from 5 to 1440', check: intCheck(5, 1440) },
  { key: 'booking.no_show_minutes', default: '30', form: 'a whole number of minutes from 0 to 1440', check: intCheck(0, 1440) },
  { key: 'booking.deposit_ratio', default: '0.5', form: 'a share from 0 to 1, like 0.5', check: (v) => {
    if (!/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/.test(v)) throw new Error('a share from 0 to 1, like 0.5');
    return v;
  } },
  { key: 'callback.min_days', default: '3', form: 'a whole number of days from 0 to 90', check: intCheck(0, 90) },
  { key: 'callback.max_days', default: '7', form: 'a whole number of days from 0 to 90', check: intCheck(0, 90) },
  { key: 'callback.window', default: '10:00-11:30,14:00-17:00', form: 'HH:mm-HH:mm[,HH:mm-HH:mm…]', check: (v) => {
    parseWindows(v);
    return v.replace(/\s+/g, '');
  } },
  { key: 'maintenance.interval_km', default: '5000', form: 'a whole number of km from 500 to 100000', check: intCheck(500, 100000) },
  { key: 'maintenance.interval_months', default: '6', form: 'a whole number of months from 1 to 60', check: intCheck(1, 60) },
  { key: 'maintenance.daily_km', default: '40', form: 'a whole number of km from 0 to 1500', check: intCheck(0, 1500) },
  { key: 'maintenance.lead_days', default: '14', form: 'a whole number of days from 0 to 365', check: intCheck(0, 365) },
  { key: 'maintenance.overdue_days', default: '60', form: 'a whole number of days from 0 to 3650', check: intCheck(0, 3650) },
  { key: 'maintenance.cooldown_days', default: '30', form: 'a whole number of days from 0 to 365', check: intCheck(0, 365) },
  { key: 'jobs.appointment-reminders.send', default: 'off', form: 'on or off: also queue each row\'s message in the outbox', check: oneOf('on', 'off') },
  { key: 'jobs.maintenance-due.send', default: 'off', form: 'on or off: also queue each row\'s message in the outbox', check: oneOf('on', 'off') },
  { key: 'jobs.declined-work.send', default: 'off', form: 'on or off: also queue each row\'s message in the outbox', check: oneOf('on', 'off') },
  { key: 'outbox.webhook', default: '', form: 'an http:// or https:// URL that takes a JSON POST (or empty)', check: (v) => {
    if (!v) return v;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error('an http:// or https:// URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('an http:// or https:// URL');
    return v;
  } },
  { key: 'outbox.command', default: '', form: 'a command run with each message as JSON on stdin (or empty)', check: anyText(500) },
  { key: 'outbox.secret', default: '', form: 'the HMAC-SHA256 key of X-Pitstop-Signature, 16 to 200 characters (or empty)', secret: true, check: (v) => {
    if (v && (v.length < 16 || v.length > 200 || UNSAFE.test(v))) throw new Error('16 to 200 printable characters');
    return v;
  } },
  { key: 'outbox.quiet', default: '21:00-08:30', form: 'quiet hours "HH:mm-HH:mm" (may cross midnight), or off', check: (v) => {
    parseQuiet(v);
    return v.trim();
  } },
  { key: 'outbox.rate', default: '60', form: 'messages per minute, a whole number from 1 to 6000', check: intCheck(1, 6000) },
  { key: 'outbox.max_attempts', default: '5', form: 'a whole number from 1 to 20', check: intCheck(1, 20) },
  { key: 'outbox.timeout', default: '10', form: 'seconds a sender may take, a whole number from 1 to 300', check: intCheck(1, 300) },
  { key: 'group.pg', default: '', form: 'a postgres://user:password@host:port/database URL of the group\'s PostgreSQL (or empty)', mask: maskUrl, check: checkGroupUrl },
  { key: 'group.store', default: '', form: 'this store\'s code in the group: 1 to 20 letters, digits, _ or - (or empty)', check: (v) => (v ? parseStoreCode('group.store', v) : v) },
  { key: 'group.push_minutes', default: '15', form: 'minutes between pushes under pitstop cron, a whole number from 1 to 1440', check: intCheck(1, 1440) },
  { key: 'sign.required', default: '', form: 'a comma-separated list of estimate, additional, declined, delivery (or empty)', check: (v) => parseSignRequired(v).join(',') },
  { key: 'warranty.days', default: '90', form: 'a whole number of days from 0 to 3650', check: intCheck(0, 3650) },
  { key: 'warranty.km', default: '5000', form: 'a whole number of km from 0 to 1000000', check: intCheck(0, 1000000) },
  { key: 'print.browser', default: '', form: 'the path of a Chromium or Chrome program (empty: chromium or google-chrome on PATH)', check: (v) => {
    if (v && (!v.startsWith('/') || UNSAFE.test(v))) throw new Error('an absolute path of a program');
    return v;
  } },
  { key: 'declined.follow_up_days', default: '14', form: 'a whole number of days from 0 to 365', check: intCheck(0, 365) },
  { key: 'declined.cooldown_days', default: '30', form: 'a whole number of days from 0 to 365', check: intCheck(0, 365) },
  { key: 'lapsed.months', default: '6', form: 'a whole number of months from 1 to 120', check: intCheck(1, 120) },
  { key: 'repeat.days', default: '30', form: 'a whole number of days from 0 to 365', check: intCheck(0, 365) },
  { key: 'mileage.max_daily_km', default: '1500', form: 'a whole number of km from 1 to 100000', check: intCheck(1, 100000) },
  { key: 'labor.rate', default: '120.00', form: 'yuan with at most 2 decimals, like 120.00', check: (v) => {
    const cents = parseYuan('labor.rate', v);
    return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  } },
  { key: 'locale', default: 'zh-CN', form: 'zh-CN or en', check: oneOf('zh-CN', 'en') },
  { key: 'csv.headers', default: 'keys', form: 'keys or labels', check: oneOf('keys', 'labels') },
  { key: 'csv.bom', default: 'true', form: 'true or false', check: oneOf('true', 'false') },
  { key: 'privacy.mask_phone', default: 'false', form: 'true or false', check: oneOf('true', 'false') },
  { key: 'jobs.out', default: '', form: 'a folder path (empty: <data dir>/exports)', check: anyText(1000) },
  { key: 'jobs.format', default: 'csv', form: 'csv, xlsx or both', check: oneOf('csv', 'xlsx', 'both') },
  { key: 'message.reminder.zh-CN', default: REMINDER_TEMPLATES['zh-CN'], form: templateForm('reminder'), check: (v) => checkTemplate('reminder', anyText(1000)(v)) },
  { key: 'message.reminder.en', default: REMINDER_TEMPLATES.en, form: templateForm('reminder'), check: (v) => checkTemplate('reminder', anyText(1000)(v)) },
  { key: 'message.maintenance.zh-CN', default: MAINTENANCE_TEMPLATES['zh-CN'], form: templateForm('maintenance'), check: (v) => checkTemplate('maintenance', anyText(1000)(v)) },
  { key: 'message.maintenance.en', default: MAINTENANCE_TEMPLATES.en, form: templateForm('maintenance'), check: (v) => checkTemplate('maintenance', anyText(1000)(v)) },
  { key: 'message.declined.zh-CN', default: DECLINED_TEMPLATES['zh-CN'], form: templateForm('declined'), check: (v) => checkTemplate('declined', anyText(1000)(v)) },
  { key: 'message.declined.en', default: DECLINED_TEMPLATES.en, form: templateForm('declined'), check: (v) => checkTemplate('declined', anyText(1000)(v)) },
  ...JOB_NAMES.map((job) => ({
    key: `jobs.${job}.schedule`,
    default: DEFAULT_SCHEDULES[job],
    form: 'a 5-field cron expression, like "0 17 * * *"',
    check: checkCron,
  })),
];

export const SETTINGS: ReadonlyMap<string, SettingDef> = new Map(defs.map((d) => [d.key, d]));
export const SETTING_KEYS = defs.map((d) => d.key);

/**
 * The reason of a check's error, to follow "invalid KEY "VALUE": " once: a check that already speaks
 * as `invalid X "V": expected …` gives its reason (naming the part V when it is not the whole value),
 * a bare message becomes "expected …".
 */
function innerReason(message: string, value: string): string {
  if (!message) return '';
  const m = /^invalid [^"]*("(?:[^"\\]|\\.)*"): ([\s\S]*)$/.exec(message);
  if (!m) return /^expected /.test(message) ? message : `expected ${message}`;
  const [, part, reason] = m;
  return part === JSON.stringify(String(value)) ? reason! : `${part} is not valid: ${reason}`;
}

/** Validate one value; `others` are the current values, for rules across keys. */
export function checkSetting(key: string, value: string, others: ReadonlyMap<string, string>): string {
  const def = SETTINGS.get(key);
  if (!def) throw invalid('setting', key, `unknown key; see \`pitstop config list\``);
  let normalized: string;
  try {
    normalized = def.check(String(value).normalize('NFKC').trim());
  } catch (err) {
    // a secret is never echoed, not even when refused
    if (def.secret) throw invalid(key, '********', `expected ${def.form}`);
    if (def.mask) throw invalid(key, def.mask(String(value)), innerReason((err as Error).message, value) || `expected ${def.form}`);
    throw invalid(key, value, innerReason((err as Error).message, value) || `expected ${def.form}`);
  }
  const get = (k: string) => (k === key ? normalized : (others.get(k) ?? SETTINGS.get(k)!.default));
  if ((key === 'shop.open' || key === 'shop.close') && parseClock('shop.open', get('shop.open')) >= parseClock('shop.close', get('shop.close'))) {
    throw invalid(key, value, `shop.open (${get('shop.open')}) must be before shop.close (${get('shop.close')})`);
  }
  if ((key === 'callback.min_days' || key === 'callback.max_days') && +get('callback.min_days') > +get('callback.max_days')) {
    throw invalid(key, value, `callback.min_days (${get('callback.min_days')}) must not exceed callback.max_days (${get('callback.max_days')})`);
  }
  return normalized;
}

/** Settings as loaded for one command: stored values over defaults, with typed readers. */
export class Settings {
  constructor(readonly stored: ReadonlyMap<string, string>) {}

  get(key: string): string {
    const value = this.stored.get(key);
    if (value !== undefined) return value;
    const def = SETTINGS.get(key);
    if (!def) throw new Error(`unknown setting ${key}`);
    return def.default;
  }

  int(key: string): number {
    return Number(this.get(key));
  }

  get timezone(): string {
    return this.get('shop.timezone');
  }

  get locale(): 'zh-CN' | 'en' {
    return this.get('locale') as 'zh-CN' | 'en';
  }

  static defaults(overrides: Record<string, string> = {}): Settings {
    return new Settings(new Map(Object.entries(overrides)));
  }
}
