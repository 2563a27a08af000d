/** The customer-facing message texts of the calling lists: a template with `{placeholders}`. Pure. */
import { ownValue } from '../templates.js';

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
