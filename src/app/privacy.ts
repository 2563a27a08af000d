/**
 * Reads of personal data that leave the desk are audited (issue 13.7): every `export` and every job
 * list with phone numbers records who took it, what, how many rows, where to, and whether the phones
 * were masked. Screen output is masked under `--mask-phone` or the `privacy.mask_phone` setting.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';

/** One audit row for a list or table that left with personal data. */
export function auditExport(ctx: Ctx, action: 'export' | 'list', entity: string, details: { rows: number; to: string; masked: boolean }): Promise<void> {
  return ctx.db.transaction(() => audit(ctx, action, entity, null, details));
}

/** Whether a command prints masked phones: its flag, else the shop's `privacy.mask_phone` setting. */
export function screenMasked(ctx: Ctx, flag: boolean | undefined): boolean {
  return flag ?? ctx.settings.get('privacy.mask_phone') === 'true';
}
