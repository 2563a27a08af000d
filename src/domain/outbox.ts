/**
 * The message outbox's rules (SPEC §13, §16), pure: quiet hours (across midnight), the retry backoff,
 * the rate limit, the idempotency key, the payload and its signature input.
 */
import { addDays, localDay, type Day } from './time.js';
import { invalid } from './errors.js';

/** `HH:mm-HH:mm` → [start, end) in minutes of the day; start > end crosses midnight. */
export function parseQuiet(text: string): [number, number] | null {
  if (text.trim() === '' || text.trim() === 'off') return null;
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error('quiet hours "HH:mm-HH:mm" (e.g. 21:00-08:30), or off');
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error('quiet hours "HH:mm-HH:mm" with real times');
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (start === end) throw new Error('quiet hours whose start and end differ');
  return [start, end];
}

/** Whether minute-of-day `minute` falls in the quiet window. */
export function isQuiet(quiet: [number, number] | null, minute: number): boolean {
  if (!quiet) return false;
  const [start, end] = quiet;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** When the quiet window that holds (`day`, `minute`) ends: the local day and minute. */
export function quietEnds(quiet: [number, number], day: Day, minute: number): { day: Day; minute: number } {
  const [start, end] = quiet;
  if (start < end || minute < end) return { day, minute: end };
  return { day: addDays(day, 1), minute: end };
}

/** Minutes to wait after the n-th failed attempt (1-based): 1, 5, 15, 60, then 240. */
export function backoffMinutes(attempt: number): number {
  const steps = [1, 5, 15, 60, 240];
  return steps[Math.min(Math.max(attempt, 1), steps.length) - 1]!;
}

/** The next try after a failure, or null when the attempts are used up (→ failed). */
export function nextTry(attempt: number, maxAttempts: number, now: Date, retryAfterSeconds: number | null): Date | null {
  if (attempt >= maxAttempts) return null;
  const wait = Math.max(backoffMinutes(attempt) * 60_000, (retryAfterSeconds ?? 0) * 1000);
  return new Date(now.getTime() + wait);
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Math.min(Number(header.trim()), 86_400);
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, Math.min(Math.ceil((t - now.getTime()) / 1000), 86_400));
}

/** Whether the rate limit leaves room: `sentLastMinute` messages went out in the last 60 s. */
export function rateAllows(sentLastMinute: number, ratePerMinute: number): boolean {
  return sentLastMinute < ratePerMinute;
}

/** A message's key: job + run key + the row's subject (§16), never its position on the list. */
export function messageKey(job: string, runKey: string, subject: string): string {
  return `${job}/${runKey}/${subject}`;
}

export interface OutboxMessage {
  id: number;
  key: string;
  job: string;
  subject: string;
  customer_id: number;
  to_phone: string;
  text: string;
  params: string;
}

/** The JSON a sender receives: the same bytes on every attempt, so a resend is recognisably the same message. */
export function payloadOf(m: OutboxMessage): string {
  return JSON.stringify({
    id: m.id,
    idempotency_key: m.key,
    to: m.to_phone,
    text: m.text,
    customer_id: m.customer_id,
    kind: m.job,
    template: m.job,
    params: JSON.parse(m.params) as Record<string, unknown>,
  });
}

export function parseSendFlag(key: string, v: string): string {
  if (v !== 'on' && v !== 'off') throw invalid(key, v, 'on or off');
  return v;
}

export const localMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export { localDay };
