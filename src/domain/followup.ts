/**
 * Follow-up rules (SPEC §5.3), pure: the callback form of seeds/004 (five questions scored 1–5), the
 * score/reason rule, complaint categories and the complaint reply-by time.
 */
import { conflict, invalid, usage } from './errors.js';
import { addDays, isoWeekday, localDay, parseLocalDateTime, type Day } from './time.js';

export const CALLBACK_RESULTS = ['reached', 'no_answer', 'later', 'refused', 'wrong_number'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];

/** Why a customer was not satisfied: the seed's 服务质量, 维修质量, 维修交期, 维修价格, 配件供应, 其他. */
export const REASONS = ['service_quality', 'repair_quality', 'delivery_time', 'price', 'parts_supply', 'other'] as const;
export type Reason = (typeof REASONS)[number];
export const REASON_LABELS: Record<Reason, string> = {
  service_quality: '服务质量 service quality',
  repair_quality: '维修质量 repair quality',
  delivery_time: '维修交期 delivery time',
  price: '维修价格 price',
  parts_supply: '配件供应 parts supply',
  other: '其他 other',
};

/** The five questions of the callback form (seeds/004 §六 回访问题汇总), q1…q5. */
export const QUESTIONS: ReadonlyArray<{ key: 'q1' | 'q2' | 'q3' | 'q4' | 'q5'; zh: string; en: string }> = [
  { key: 'q1', zh: '维修保养工作开始之前，服务人员对即将开展的工作的解释', en: 'explanation of the work before it started' },
  { key: 'q2', zh: '来站维修时，服务人员接待您的迅速程度', en: 'speed of reception' },
  { key: 'q3', zh: '是否正确完成您所需的维修、保养项目', en: 'work done right' },
  { key: 'q4', zh: '对已完成的项目或结算清单的解释是否清楚', en: 'explanation of the work done and the bill' },
  { key: 'q5', zh: '修理完成后的提车速度', en: 'speed of delivery' },
];

/** The answers of the form: 5 很好 … 1 很不好. A score at or below this needs a reason (seed 4.2.6: 不好/很不好). */
export const SCORE_LABELS: Record<number, string> = { 5: '很好 very good', 4: '好 good', 3: '一般 fair', 2: '不好 poor', 1: '很不好 very poor' };
export const LOW_SCORE = 2;

export const COMPLAINT_CATEGORIES = REASONS;

export function parseResult(text: string): CallbackResult {
  const s = String(text ?? '').normalize('NFKC').trim().toLowerCase().replace(/-/g, '_');
  if ((CALLBACK_RESULTS as readonly string[]).includes(s)) return s as CallbackResult;
  throw invalid('result', text, `expected one of ${CALLBACK_RESULTS.join(', ')}`);
}

export function parseReason(text: string, field = 'reason'): Reason {
  const s = String(text ?? '').normalize('NFKC').trim().toLowerCase().replace(/-/g, '_');
  if ((REASONS as readonly string[]).includes(s)) return s as Reason;
  throw invalid(field, text, `expected one of ${REASONS.join(', ')}`);
}

/** `5,5,4,5,5` → five whole scores 1–5 (full-width digits and commas are fine). */
export function parseScores(text: string): number[] {
  const parts = String(text ?? '').normalize('NFKC').split(/[,，\s]+/).filter(Boolean);
  if (parts.length !== 5 || parts.some((p) => !/^[1-5]$/.test(p))) {
    throw invalid('scores', text, 'expected five scores from 1 to 5 separated by commas, like 5,5,4,5,5 (one per question of the callback form)');
  }
  return parts.map(Number);
}

/**
 * Scores belong only to a call that reached the customer; any score ≤ 2 (不好/很不好) needs the reason
 * recorded (seed 4.2.6). Both are input errors (exit 2).
 */
export function checkCallbackForm(result: CallbackResult, scores: readonly number[] | null, reason: Reason | null): void {
  if (scores && result !== 'reached') throw usage(`--scores only go with --result reached (result is ${result})`);
  if (scores && !reason) {
    const low = scores.map((s, i) => ({ s, q: `q${i + 1}` })).filter((x) => x.s <= LOW_SCORE);
    if (low.length) throw usage(`missing required --reason: ${low.map((x) => `${x.q}=${x.s}`).join(', ')} is ${LOW_SCORE} or lower (${REASONS.join('|')})`);
  }
}

/** Only delivered orders are called back. */
export function checkCallable(number: string, status: string): void {
  if (status !== 'delivered') throw conflict(`order ${number} is ${status}: only a delivered order gets a callback`);
}

/** The next working day (Monday–Friday) after `day`. Public holidays are not known to pitstop. */
export function nextWorkingDay(day: Day): Day {
  let d = addDays(day, 1);
  while (isoWeekday(d) > 5) d = addDays(d, 1);
  return d;
}

/** A complaint must be answered by shop.close on the next working day after it was opened. */
export function complaintReplyBy(openedAt: Date, close: string, tz: string): Date {
  return parseLocalDateTime('shop.close', `${nextWorkingDay(localDay(openedAt, tz))} ${close}`, tz);
}
