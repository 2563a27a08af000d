import { describe, expect, it } from 'vitest';
import { checkCron, checkSetting, parseWindows, Settings, SETTING_KEYS, SETTINGS } from '../../src/domain/settings.js';
import { PitstopError } from '../../src/errors.js';

const none = new Map<string, string>();

/** One refused value per key: every key validates. */
const BAD: Record<string, string> = {
  'shop.name': 'x'.repeat(101),
  'shop.phone': 'call me',
  'shop.timezone': 'Mars/Olympus',
  'shop.bays': '0',
  'shop.open': '25:00',
  'shop.close': '18:0',
  'booking.minutes': '4',
  'booking.no_show_minutes': '-1',
  'booking.deposit_ratio': '1.5',
  'callback.min_days': 'three',
  'callback.max_days': '91',
  'callback.window': '10:00-09:00',
  'maintenance.interval_km': '499',
  'maintenance.interval_months': '0',
  'maintenance.daily_km': '1501',
  'maintenance.lead_days': '366',
  'maintenance.overdue_days': '3651',
  'maintenance.cooldown_days': '1.5',
  'lapsed.months': '121',
  'repeat.days': '366',
  'mileage.max_daily_km': '0',
  'labor.rate': '120.001',
  locale: 'fr',
  'csv.headers': 'both',
  'csv.bom': 'yes',
  'privacy.mask_phone': 'yes',
  'jobs.out': 'bad\u0001path',
  'jobs.format': 'pdf',
  'declined.follow_up_days': '-1',
  'declined.cooldown_days': '366',
  'shop.address': 'x'.repeat(201),
  'sign.required': 'estimate,signature',
  'warranty.days': '-1',
  'warranty.km': '5 000',
  'print.browser': 'chromium',
  'jobs.appointment-reminders.send': 'yes',
  'jobs.maintenance-due.send': '1',
  'jobs.declined-work.send': 'true',
  'outbox.webhook': 'ftp://gateway/sms',
  'outbox.command': 'x'.repeat(501),
  'outbox.secret': 'short',
  'outbox.quiet': '21:00-21:00',
  'outbox.rate': '0',
  'group.pg': 'mysql://u:p@h/db',
  'group.store': 'SH 01',
  'group.push_minutes': '0',
  'outbox.max_attempts': '21',
  'outbox.timeout': '301',
  'message.declined.zh-CN': '{__proto__}',
  'message.declined.en': '{constructor}',
  'message.reminder.zh-CN': 'x'.repeat(1001),
  'message.reminder.en': 'bell\u0007',
  'message.maintenance.zh-CN': 'x'.repeat(1001),
  'message.maintenance.en': 'x'.repeat(1001),
};

describe('settings', () => {
  it('every key has a default that passes its own check', () => {
    for (const key of SETTING_KEYS) {
      const def = SETTINGS.get(key)!;
      expect(() => checkSetting(key, def.default, none), key).not.toThrow();
    }
  });

  it.each(SETTING_KEYS.map((k) => [k, BAD[k] ?? (k.startsWith('jobs.') && k.endsWith('.schedule') ? '61 * * * *' : undefined)]))(
    '%s refuses %j with exit 2 naming the key',
    (key, value) => {
      expect(value, `no bad value listed for ${key}`).toBeDefined();
      let err: unknown;
      try {
        checkSetting(key, value!, none);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PitstopError);
      expect((err as PitstopError).exitCode).toBe(2);
      expect((err as PitstopError).message).toContain(key);
    },
  );

  it('unknown key', () => {
    expect(() => checkSetting('shop.colour', 'red', none)).toThrow(/unknown key/);
  });

  it.each([
    ['shop.bays', ' 6 ', '6'],
    ['shop.bays', '007', '7'],
    ['labor.rate', '150', '150.00'],
    ['labor.rate', '99.5', '99.50'],
    ['callback.window', '09:00 - 10:00, 15:00-16:00', '09:00-10:00,15:00-16:00'],
    ['shop.timezone', 'Europe/Berlin', 'Europe/Berlin'],
    ['jobs.callbacks.schedule', '0  9 * * 1-5', '0 9 * * 1-5'],
  ])('%s %j is stored as %j', (key, value, stored) => expect(checkSetting(key, value, none)).toBe(stored));

  it('shop.open must be before shop.close', () => {
    expect(() => checkSetting('shop.open', '18:00', none)).toThrow(/shop.open \(18:00\) must be before shop.close \(18:00\)/);
    expect(() => checkSetting('shop.close', '08:00', none)).toThrow(/must be before/);
    expect(checkSetting('shop.close', '20:00', none)).toBe('20:00');
    expect(() => checkSetting('shop.open', '19:00', new Map([['shop.close', '20:00']]))).not.toThrow();
  });

  it('callback.min_days must not exceed callback.max_days', () => {
    expect(() => checkSetting('callback.min_days', '8', none)).toThrow(/must not exceed/);
    expect(() => checkSetting('callback.max_days', '2', none)).toThrow(/must not exceed/);
    expect(checkSetting('callback.min_days', '7', none)).toBe('7');
    expect(() => checkSetting('callback.min_days', '10', new Map([['callback.max_days', '14']]))).not.toThrow();
  });

  it('parseWindows', () => {
    expect(parseWindows('10:00-11:30,14:00-17:00')).toEqual([[600, 690], [840, 1020]]);
    expect(() => parseWindows('10-11')).toThrow();
    expect(() => parseWindows('11:00-11:00')).toThrow(/start before/);
  });

  it.each(['0 17 * * *', '*/15 * * * *', '30 7 1 * *', '0 8 * * mon', '0 9-17/2 * * 1-5'])('cron %s is accepted', (c) => {
    expect(() => checkCron(c)).not.toThrow();
  });
  it.each(['0 17 * *', '60 * * * *', '0 24 * * *', '0 0 32 * *', '0 0 * 13 *', '*/0 * * * *', 'every day'])('cron %s is refused', (c) => {
    expect(() => checkCron(c)).toThrow();
  });

  it('Settings reads stored values over defaults', () => {
    const s = new Settings(new Map([['shop.bays', '6']]));
    expect(s.int('shop.bays')).toBe(6);
    expect(s.get('shop.open')).toBe('08:30');
    expect(s.timezone).toBe('Asia/Shanghai');
    expect(s.locale).toBe('zh-CN');
    expect(() => s.get('nope')).toThrow();
  });
});

describe('settings hardening', () => {
  it('free-text settings refuse direction overrides and control characters', () => {
    for (const bad of ['My\u202eShop', 'A\u2066B', 'tab\there', 'nul\u0000']) {
      expect(() => checkSetting('shop.name', bad, new Map())).toThrow(/shop\.name/);
    }
    expect(checkSetting('shop.name', '平安汽修', new Map())).toBe('平安汽修');
  });

  it('a long bad cron expression gives a short message', () => {
    let message = '';
    try {
      checkSetting('jobs.callbacks.schedule', `${'x'.repeat(100_000)} * * * *`, new Map());
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/jobs\.callbacks\.schedule/);
    expect(message.length).toBeLessThan(300);
  });
});
