import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditAction } from './audit-actions.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditRecord {
  actorId: string | null;
  action: AuditAction;
  subjectType: string;
  subjectId: string;
  scopeId?: string | null;
  data?: Record<string, unknown>;
}

/** Queues an audit entry in the caller's unit of work, so it commits or rolls back with the change. */
export function audit(em: EntityManager, record: AuditRecord): AuditEntry {
  return em.create(AuditEntry, { ...record, data: record.data ?? {} });
}
