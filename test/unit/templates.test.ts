/** Issue 13.11: only the documented placeholders are placeholders; filling never reads Object's prototype. */
import { describe, expect, it } from 'vitest';
import { checkSetting } from '../../src/domain/settings.js';
import { checkTemplate, placeholdersOf } from '../../src/domain/templates.js';
import { compileTemplate, fillTemplate as fillMaintenance } from '../../src/domain/maintenance.js';
import { fillTemplate as fillReminder, reminderMessage } from '../../src/domain/jobs/reminders.js';
import { PitstopError } from '../../src/errors.js';

const none = new Map<string, string>();

describe('message templates', () => {
  it.each([
    'message.reminder.zh-CN', 'message.reminder.en', 'message.maintenance.zh-CN', 'message.maintenance.en',
  ])('config set %s refuses {constructor} and {__proto__} with exit 2 naming them', (key) => {
    for (const bad of ['{constructor}|{__proto__}', '您好{customer}{toString}', '{hasOwnProperty}']) {
      let err: unknown;
      try {
        checkSetting(key, bad, none);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PitstopError);
      expect((err as PitstopError).exitCode).toBe(2);
      expect((err as PitstopError).message).toContain(key);
      expect((err as PitstopError).message).toMatch(/unknown: \{(constructor|toString|hasOwnProperty)\}/);
    }
  });

  it('accepts the documented placeholders of each list', () => {
    expect(checkSetting('message.reminder.en', 'Hi {customer}, {plate} at {time} {date}{service} - {shop} {phone} {model}', none)).toContain('{customer}');
    expect(checkSetting('message.maintenance.zh-CN', '{customer} {plate} {due_on} {estimated_km} {shop} {phone} {model}', none)).toContain('{due_on}');
    expect(() => checkTemplate('reminder', '{due_on}')).toThrow(/unknown: \{due_on\}/);
    expect(placeholdersOf('{a} {b} {a} { } {}')).toEqual(['a', 'b']);
  });

  it('filling never reads prototype properties', () => {
    const t = '{constructor}|{__proto__}|{customer}';
    expect(fillMaintenance(t, { customer: '张三' })).toBe('{constructor}|{__proto__}|张三');
    expect(compileTemplate(t)({ customer: '张三' })).toBe('{constructor}|{__proto__}|张三');
    expect(fillReminder(t, { customer: '张三' })).toBe('{constructor}|{__proto__}|张三');
    const facts = { customer: 'A', shop: 'S', shopPhone: '1', plate: 'P', model: 'M', time: '2026-11-24 09:00', service: '' };
    expect(reminderMessage('{constructor}{toString}{valueOf}', 'en', facts)).toBe('{constructor}{toString}{valueOf}');
  });
});
