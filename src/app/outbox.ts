/**
 * The message outbox (SPEC §13, §16): messages queued from the lists, and `outbox send|list|retry|cancel`.
 *
 * Never twice, never lost: a message is claimed (status `sending`, this process, a lease) in a committed
 * transaction before it is handed to the sender, and marked sent after. Two senders at once never take
 * the same message (the claim is one write transaction, and a live claim is skipped). A process killed
 * between the two leaves the message `sending`; the next send takes it over once its claimer is gone
 * (or its lease ran out) and resends it under the same idempotency key with the same bytes, so the
 * receiving end can tell it is the same message.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { runningClock } from './clock.js';
import { commandSender, webhookSender, type Sender } from './senders.js';
import type { Row } from '../domain/jobs/types.js';
import { fillTemplate } from '../domain/jobs/reminders.js';
import { isQuiet, messageKey, nextTry, parseQuiet, payloadOf, quietEnds, rateAllows, retryAfterSeconds } from '../domain/outbox.js';
import { formatLocal, localDay, parseLocalDateTime, toIso } from '../domain/time.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import type { Db } from '../db/sqlite.js';
import {
  customerOfSubject, dueMessages, listOutbox, logAttempt, noLongerApplies, outboxById, queueMessage, sentSince, updateOutbox, type DbOutbox,
} from '../db/outbox.js';
import type { Settings } from '../domain/settings.js';

/** The lists that can queue messages (`jobs.<job>.send`). */
export const SENDING_JOBS = ['appointment-reminders', 'maintenance-due', 'declined-work'] as const;

export function sendsMessages(settings: Settings, job: string): boolean {
  return (SENDING_JOBS as readonly string[]).includes(job) && settings.get(`jobs.${job}.send`) === 'on';
}

/** The text of a row's message: the list's own message column, or declined-work's template (§16). */
function textOf(job: string, row: Row, settings: Settings): string {
  if (typeof row.message === 'string' && row.message) return row.message;
  const template = settings.get(`message.declined.${settings.locale}`);
  return fillTemplate(template, {
    customer: String(row.customer_name ?? ''), shop: settings.get('shop.name'), phone: settings.get('shop.phone'),
    plate: String(row.plate ?? ''), model: String(row.model ?? ''), items: String(row.items ?? ''), found_on: String(row.found_on ?? ''),
  });
}

/** The row's values a template gateway fills in (every column but the text, the phone and the bookkeeping). */
function paramsOf(row: Row): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (!k.startsWith('_') && k !== 'message' && k !== 'phone' && k !== 'last_contact' && v !== null && v !== undefined) params[k] = String(v);
  return JSON.stringify(params);
}

/** Queue one message per row of a list run (inside the run's closing transaction). Returns how many are new. */
export async function queueListMessages(db: Db, settings: Settings, job: string, runKey: string, rows: readonly Row[], subjectOf: (row: Row) => string, at: string): Promise<number> {
  let queued = 0;
  for (const row of rows) {
    const subject = subjectOf(row);
    const c = await customerOfSubject(db, subject);
    if (!c) continue;
    if (await queueMessage(db, { key: messageKey(job, runKey, subject), job, run_key: runKey, subject, customer_id: c.id, to_phone: c.phone, text: textOf(job, row, settings), params: paramsOf(row), created_at: at })) queued++;
  }
  return queued;
}

function senderOf(settings: Settings): Sender {
  const webhook = settings.get('outbox.webhook');
  const command = settings.get('outbox.command');
  const timeout = settings.int('outbox.timeout') * 1000;
  if (webhook) return webhookSender(webhook, settings.get('outbox.secret'), timeout);
  if (command) return commandSender(command, timeout);
  throw usage('no sender configured: set outbox.webhook (an HTTP(S) URL) or outbox.command (a program that reads the message as JSON on stdin)');
}

export function hasSender(settings: Settings): boolean {
  return !!(settings.get('outbox.webhook') || settings.get('outbox.command'));
}

function alive(pid: number | null): boolean {
  if (!pid) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SendSummary {
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
  held: number;
  /** why the run stopped early: quiet hours or the rate limit */
  stopped: 'quiet' | 'rate' | null;
}

type Claim = { message: DbOutbox } | { stop: 'quiet' | 'rate' | 'empty' };

export async function sendOutbox(ctx: Ctx, input: { limit?: number; clock?: () => Date } = {}): Promise<SendSummary> {
  const limit = input.limit ?? 1000;
  const sender = senderOf(ctx.settings);
  const now = runningClock(ctx.now, input.clock);
  const quiet = parseQuiet(ctx.settings.get('outbox.quiet'));
  const rate = ctx.settings.int('outbox.rate');
  const maxAttempts = ctx.settings.int('outbox.max_attempts');
  const leaseMs = ctx.settings.int('outbox.timeout') * 1000 + 30_000;
  const summary: SendSummary = { sent: 0, retried: 0, failed: 0, cancelled: 0, held: 0, stopped: null };
  for (let handled = 0; handled < limit; handled++) {
    const claim: Claim = await ctx.db.transaction(async (db) => {
      const t = now();
      const at = toIso(t);
      const local = formatLocal(t, ctx.tz);
      const minute = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
      const due = (await dueMessages(db, at, 50)).filter((m) => m.status !== 'sending' || !alive(m.claimed_by) || (m.lease_until ?? '') < at);
      if (quiet && isQuiet(quiet, minute)) {
        // quiet hours: every due message waits for their end
        const end = quietEnds(quiet, localDay(t, ctx.tz), minute);
        const until = toIso(parseLocalDateTime('quiet end', `${end.day} ${String(Math.floor(end.minute / 60)).padStart(2, '0')}:${String(end.minute % 60).padStart(2, '0')}`, ctx.tz));
        for (const m of due) {
          await updateOutbox(db, m.id, { status: 'held', next_at: until, claimed_by: null, lease_until: null });
          await logAttempt(db, { outbox_id: m.id, attempt: m.attempts, at, outcome: 'held', detail: `quiet hours until ${formatLocal(until, ctx.tz)}` });
          summary.held++;
        }
        return { stop: 'quiet' };
      }
      if (!rateAllows(await sentSince(db, toIso(new Date(t.getTime() - 60_000))), rate)) return { stop: 'rate' };
      for (const m of due) {
        const why = await noLongerApplies(db, m, at);
        if (why) {
          await updateOutbox(db, m.id, { status: 'cancelled', reason: why, claimed_by: null, lease_until: null });
          await logAttempt(db, { outbox_id: m.id, attempt: m.attempts, at, outcome: 'cancelled', detail: why });
          summary.cancelled++;
          continue;
        }
        const claimed = { status: 'sending', attempts: m.attempts + 1, claimed_by: process.pid, lease_until: toIso(new Date(t.getTime() + leaseMs)) };
        await updateOutbox(db, m.id, claimed);
        return { message: { ...m, ...claimed } };
      }
      return { stop: 'empty' };
    });
    if ('stop' in claim) {
      if (claim.stop !== 'empty') summary.stopped = claim.stop;
      break;
    }
    const m = claim.message;
    const d = await sender(payloadOf(m), m.key);
    await ctx.db.transaction(async (db) => {
      const t = now();
      const at = toIso(t);
      if (d.ok) {
        await updateOutbox(db, m.id, { status: 'sent', sent_at: at, claimed_by: null, lease_until: null, last_error: null });
        await logAttempt(db, { outbox_id: m.id, attempt: m.attempts, at, outcome: 'sent', detail: d.detail });
        summary.sent++;
        return;
      }
      const next = nextTry(m.attempts, maxAttempts, t, retryAfterSeconds(d.retryAfter, t));
      if (next) {
        await updateOutbox(db, m.id, { status: 'queued', next_at: toIso(next), claimed_by: null, lease_until: null, last_error: d.detail });
        await logAttempt(db, { outbox_id: m.id, attempt: m.attempts, at, outcome: 'retry', detail: d.detail });
        summary.retried++;
      } else {
        await updateOutbox(db, m.id, { status: 'failed', claimed_by: null, lease_until: null, last_error: d.detail });
        await logAttempt(db, { outbox_id: m.id, attempt: m.attempts, at, outcome: 'failed', detail: d.detail });
        summary.failed++;
      }
    });
  }
  return summary;
}

const STATUSES = ['queued', 'held', 'sending', 'sent', 'failed', 'cancelled'];

export async function outboxList(ctx: Ctx, input: { status?: string; limit?: number }) {
  if (input.status !== undefined && !STATUSES.includes(input.status)) throw invalid('--status', input.status, `one of ${STATUSES.join(', ')}`);
  return listOutbox(ctx.db, input.status, input.limit ?? 200);
}

function parseId(text: string): number {
  if (!/^\d{1,12}$/.test(text.trim())) throw invalid('ID', text, 'a message id (a whole number)');
  return Number(text.trim());
}

export async function outboxRetry(ctx: Ctx, idText: string) {
  const id = parseId(idText);
  return ctx.db.transaction(async (db) => {
    const m = await outboxById(db, id);
    if (!m) throw notFound('message', id);
    if (m.status !== 'failed' && m.status !== 'cancelled') throw conflict(`message ${id} is ${m.status}; only a failed or cancelled message is retried`);
    await updateOutbox(db, id, { status: 'queued', attempts: 0, next_at: toIso(ctx.now), reason: null });
    await audit(ctx, 'retry', 'message', id, { key: m.key });
    return (await outboxById(db, id))!;
  });
}

export async function outboxCancel(ctx: Ctx, idText: string) {
  const id = parseId(idText);
  return ctx.db.transaction(async (db) => {
    const m = await outboxById(db, id);
    if (!m) throw notFound('message', id);
    if (m.status === 'sent' || m.status === 'cancelled') throw conflict(`message ${id} is already ${m.status}`);
    if (m.status === 'sending' && alive(m.claimed_by)) throw conflict(`message ${id} is being sent right now (process ${m.claimed_by}); try again in a moment`);
    await updateOutbox(db, id, { status: 'cancelled', reason: `cancelled by ${ctx.actor}`, claimed_by: null, lease_until: null });
    await logAttempt(db, { outbox_id: id, attempt: m.attempts, at: toIso(ctx.now), outcome: 'cancelled', detail: `by ${ctx.actor}` });
    await audit(ctx, 'cancel', 'message', id, { key: m.key });
    return (await outboxById(db, id))!;
  });
}
