import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Role } from '../users/user.entity.js';
import { AuditEntryPage, AuditFilter, auditLogPage } from './audit-log.js';

/** Reading the audit log; nothing in the API writes to it but the changes it records. */
@Resolver()
export class AuditResolver {
  @Authorized(Role.FACILITATOR)
  @Query(() => AuditEntryPage, { description: 'The audit log, newest first, for facilitators and admins; download it as CSV at `/exports/audit` with the same filter.' })
  auditEntries(
    @Arg('filter', () => AuditFilter, { nullable: true, description: 'Which entries: every condition given must hold; none given, every entry.' }) filter: AuditFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 200.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the page before.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return auditLogPage(ctx.em, filter ?? new AuditFilter(), first, after ?? null);
  }
}
