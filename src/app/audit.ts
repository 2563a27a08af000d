import type { Ctx } from './context.js';
import { writeAudit } from '../db/audit.js';
import { toIso } from '../domain/time.js';

/** Record a change in audit_log, inside the caller's transaction. */
export function audit(ctx: Ctx, action: string, entity: string, entityId: string | number | null, details?: Record<string, unknown>): Promise<void> {
  return writeAudit(ctx.db, { at: toIso(ctx.now), actor: ctx.actor, action, entity, entityId, details: details ?? null });
}
