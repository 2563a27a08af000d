import type { Db } from './sqlite.js';

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | number | null;
  details?: Record<string, unknown> | null;
}

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.run('INSERT INTO audit_log (at, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)', [
    e.at,
    e.actor,
    e.action,
    e.entity,
    e.entityId === null ? null : String(e.entityId),
    e.details ? JSON.stringify(e.details) : null,
  ]);
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string | null;
}

export async function listAudit(db: Db, filter: { entity?: string; entityId?: string; since?: string; limit: number }): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.entity) (where.push('entity = ?'), params.push(filter.entity));
  if (filter.entityId) (where.push('entity_id = ?'), params.push(filter.entityId));
  if (filter.since) (where.push('at >= ?'), params.push(filter.since));
  params.push(filter.limit);
  return db.all<AuditRow>(
    `SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`,
    params,
  );
}
