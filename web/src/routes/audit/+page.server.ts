import { requireRole } from '$lib/auth.server';
import { AuditFilterChoicesDocument, AuditLogDocument, type AuditFilter } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import { problemOf } from '$lib/graphql/problems';
import { instantFromLocal } from '$lib/local-time';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const CRITERIA = ['actor', 'action', 'from', 'to', 'round'] as const;
type Criterion = (typeof CRITERIA)[number];

/**
 * The filter form is a plain GET: its values live in the address, so a filtered page can be
 * bookmarked, and the next page is a link. Times are typed in the viewer's time zone and sent to
 * the API (and the CSV download) as instants.
 */
export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const params = event.url.searchParams;
  const values = Object.fromEntries(CRITERIA.map((c) => [c, params.get(c)?.trim() ?? ''])) as Record<Criterion, string>;
  const zone = event.locals.timeZone ?? 'UTC';
  const fields: Partial<Record<Criterion, string>> = {};
  const from = values.from ? instantFromLocal(values.from, zone) : null;
  const to = values.to ? instantFromLocal(values.to, zone) : null;
  if (values.from && !from) fields.from = 'audit.error.time';
  if (values.to && !to) fields.to = 'audit.error.time';
  if (from && to && from >= to) fields.to = 'audit.error.order';

  const filter: AuditFilter = { actorId: values.actor || null, action: values.action || null, from, to, scopeId: values.round || null };
  const choices = await event.locals.api.query(AuditFilterChoicesDocument, { actorSearch: params.get('actorq')?.trim() || null, actorIds: values.actor ? [values.actor] : [] }).toPromise();
  if (!choices.data) loadFailed(choices.error);
  const base = { values, choices: choices.data, fields, entries: [], next: null, csv: null, firstPage: null };
  if (Object.keys(fields).length) return base;

  const after = params.get('after');
  const result = await event.locals.api.query(AuditLogDocument, { filter, first: PAGE_SIZE, after }).toPromise();
  const problem = problemOf(result.error);
  if (problem?.code === 'BAD_USER_INPUT') {
    // An id or cursor edited by hand in the address: say which criterion, keep the form.
    for (const { field } of problem.fields) {
      const name = field.split('.').at(-1) ?? '';
      const criterion = ({ actorId: 'actor', scopeId: 'round', action: 'action', from: 'from', to: 'to' } as Record<string, Criterion>)[name];
      if (criterion) fields[criterion] = 'audit.error.invalid';
    }
    return { ...base, fields };
  }
  if (!result.data) loadFailed(result.error);

  const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
  const page = result.data.auditEntries;
  const csv = new URLSearchParams(
    Object.entries({ actorId: filter.actorId, action: filter.action, from, to, scopeId: filter.scopeId }).filter((e): e is [string, string] => !!e[1]),
  );
  return {
    ...base,
    entries: page.nodes,
    next: page.pageInfo.hasNextPage && page.pageInfo.endCursor ? `?${new URLSearchParams([...query, ['after', page.pageInfo.endCursor]])}` : null,
    firstPage: after ? `?${query}` : null,
    csv: `/exports/audit${csv.size ? `?${csv}` : ''}`,
  };
};
