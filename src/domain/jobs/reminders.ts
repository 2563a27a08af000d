/** The customer-facing message texts of the calling lists: a template with `{placeholders}`; the appointment-reminders plan. Pure. */
import type { Settings } from '../settings.js';
import { formatLocal } from '../time.js';
import { ownValue } from '../templates.js';
import type { Row } from './types.js';

/** Fill `{name}` placeholders; unknown ones stay as written so a typo in a template is visible. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => ownValue(values, key) ?? whole);
}

export interface ReminderFacts {
  customer: string;
  shop: string;
  shopPhone: string;
  plate: string;
  model: string;
  /** shop-local "YYYY-MM-DD HH:mm" */
  time: string;
  service: string;
}

/**
 * The appointment reminder (§6.1) in `locale`. The default templates put `{service}` straight after
 * the time, so the service is given its joining words here: zh "…到店保养", en "…at 09:00 for oil change".
 */
export function reminderMessage(template: string, locale: 'zh-CN' | 'en', f: ReminderFacts): string {
  const service = f.service ? (locale === 'en' ? ` for ${f.service}` : f.service) : '';
  return fillTemplate(template, {
    customer: f.customer,
    shop: f.shop,
    phone: f.shopPhone,
    plate: f.plate,
    model: f.model,
    time: f.time,
    date: f.time.slice(0, 10),
    service,
  });
}

// ---------------------------------------------------------------- the appointment-reminders plan

/** What the reminder list reads from the settings, once a run. */
export interface ReminderSettings {
  locale: 'zh-CN' | 'en';
  template: string;
  shop: string;
  shopPhone: string;
}

export function reminderSettings(settings: Settings): ReminderSettings {
  const locale = settings.locale;
  return { locale, template: settings.get(`message.reminder.${locale}`), shop: settings.get('shop.name'), shopPhone: settings.get('shop.phone') };
}

/** One booking on the list, as the query finds it. */
export interface ReminderBooking {
  booking_id: number;
  scheduled_at: string;
  customer_name: string;
  phone: string;
  plate: string;
  model: string | null;
  service: string | null;
  advisor: string | null;
  deposit_cents: number;
}

/** A booking's row, reminder text filled in (its time shop-local in `zone`). */
export function reminderRow(b: ReminderBooking, s: ReminderSettings, zone: string): Row {
  const time = formatLocal(b.scheduled_at, zone);
  return {
    booking_id: b.booking_id,
    scheduled_at: b.scheduled_at,
    customer_name: b.customer_name,
    phone: b.phone,
    plate: b.plate,
    model: b.model,
    service: b.service,
    advisor: b.advisor,
    deposit: b.deposit_cents,
    message: reminderMessage(s.template, s.locale, {
      customer: b.customer_name,
      shop: s.shop,
      shopPhone: s.shopPhone,
      plate: b.plate,
      model: b.model ?? '',
      time,
      service: b.service ?? '',
    }),
  };
}
