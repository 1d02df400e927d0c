/**
 * The physical floor: each page is ONE prepared statement that checks the session and builds the
 * whole response (the web's `Round` or `RoundIndicator` data, as our API answers it) inside
 * PostgreSQL with json_build_object/json_agg; Node only writes the text it gets back. Nothing can
 * serve these pages with fewer round trips or less work in Node. `round-recount` is the round page
 * with every count taken from the comment table at each request, as if there were no counters.
 * Used by floor-server.ts (the same bare HTTP server).
 */
import type pg from 'pg';

/** `localize()` of api/src/i18n/localized-text.ts in SQL: the first of `reading`, the source, then every language, that the text has. */
const localized = (text: string, reading: string, source: string) => `(
  select json_build_object('value', x.v, 'language', upper(x.l), 'fallback', x.l <> (${reading})[1])
  from (select l, (${text}) ->> l as v, o from unnest((${reading}) || array[${source}, 'es', 'en', 'pt', 'fr']) with ordinality as t(l, o)) x
  where x.v <> '' order by x.o limit 1)`;

const STATUS = (r: string) => `case when now() < ${r}.opens_at then 'SCHEDULED' when now() < ${r}.closes_at then 'OPEN' else 'CLOSED' end`;
/** mayReadRound() of api/src/rounds/round-readers.ts in SQL, for a viewer's roles, organization id and country. */
const IN_AUDIENCE = (r: string, roles: string, organizationId: string, country: string) =>
  `('FACILITATOR' = any(${roles}) or case when ${r}.audience_working_group then 'MEMBER' = any(${roles}) when ${r}.audience_all then true
    else ${organizationId}::text = any(${r}.audience_organization_ids) or ${country} = any(${r}.audience_countries) end)`;
/** viewerMayTakePart: a participant's role, the round open, the viewer in its audience. */
export const TAKES_PART = (r: string, roles: string, organizationId: string, country: string) =>
  `(${roles} && array['STAKEHOLDER', 'MEMBER', 'FACILITATOR'] and ${r}.opens_at <= now() and now() < ${r}.closes_at and ${IN_AUDIENCE(r, roles, organizationId, country)})`;

const ME = `me as (
  select u.id, u.language, u.roles, u.organization_id, coalesce(o.country, u.country) as country
  from session s join app_user u on u.id = s.user_id left join organization o on o.id = u.organization_id
  where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.active)`;

/** The round page; `recount` takes the counts from the comment table instead of the maintained counters. */
const roundPage = (recount: boolean) => `
with ${ME},
r as (select r.*, f.slug, f.source_language from consultation_round r join framework f on f.id = r.framework_id where r.id = $2),
${
  recount
    ? `counted as (
  select c.indicator_version_id, count(*) filter (where c.parent_id is null and c.withdrawn_at is null) as comments,
         count(*) filter (where c.parent_id is null and c.withdrawn_at is null and c.disposition_status = 'NONE') as undisposed,
         count(*) filter (where c.parent_id is not null) as replies
  from comment c where c.round_id = $2 group by 1),`
    : ''
}
items as (
  select coalesce(json_agg(json_build_object(
    'id', rv.id, 'commentCount', ${recount ? 'coalesce(n.comments, 0)' : 'rv.comment_count'}, 'undisposedCount', ${recount ? 'coalesce(n.undisposed, 0)' : 'rv.undisposed_count'},
    'indicator', json_build_object('id', i.id, 'code', i.code, 'title', ${localized("v.texts -> 'TITLE'", 'array[me.language]', 'r.source_language')},
                                   'section', json_build_object('id', s.id, 'code', s.code))) order by rv.position), '[]') as list, count(*) as n
  from r cross join me join round_version rv on rv.round_id = r.id join indicator i on i.id = rv.indicator_id join section s on s.id = i.section_id
  join indicator_version v on v.id = rv.indicator_version_id ${recount ? 'left join counted n on n.indicator_version_id = rv.indicator_version_id' : ''}),
mine as (
  select coalesce(json_agg(x.indicator_id), '[]') as ids, count(*) as n
  from (select distinct c.indicator_id from comment c, me where c.round_id = $2 and c.author_id = me.id and c.parent_id is null and c.withdrawn_at is null and c.indicator_id is not null) x)
select json_build_object('data', json_build_object('round', json_build_object(
  'id', r.id, 'status', ${STATUS('r')}, 'opensAt', r.opens_at, 'closesAt', r.closes_at, 'serverTime', now(),
  'commentCount', ${recount ? '(select coalesce(sum(comments), 0) from counted)' : 'r.comment_count'},
  'undisposedCount', ${recount ? '(select coalesce(sum(undisposed), 0) from counted)' : 'r.undisposed_count'},
  'replyCount', ${recount ? '(select coalesce(sum(replies), 0) from counted)' : 'r.reply_count'},
  'ratingsEnabled', r.ratings_enabled, 'viewerMayTakePart', ${TAKES_PART('r', 'me.roles', 'me.organization_id', 'me.country')},
  'title', ${localized('r.title', 'array[me.language]', 'r.source_language')}, 'instructions', ${localized('r.instructions', 'array[me.language]', 'r.source_language')},
  'framework', json_build_object('id', r.framework_id, 'slug', r.slug),
  'myProgress', json_build_object('indicatorCount', items.n, 'commentedCount', mine.n, 'commentedIndicatorIds', mine.ids),
  'indicators', items.list)))::text as body
from r, me, items, mine`;

const COMMENT = (c: string, top: boolean, more = '') => `json_build_object(
  'id', ${c}.id, 'type', ${c}.type, 'body', ${c}.body, 'bodyHtml', ${c}.body_html, 'proposedChange', ${c}.proposed_change, 'official', ${c}.official,
  'mine', ${c}.author_id = me.id, 'createdAt', ${c}.created_at, 'editedAt', ${c}.edited_at, 'withdrawnAt', ${c}.withdrawn_at, 'parentId', ${c}.parent_id,
  'author', json_build_object('userId', ${c}.author_id, 'name', ${c}.author_name, 'organizationName', ${c}.author_organization_name, 'country', ${c}.author_country),
  'anchor', case when ${c}.anchor is not null then json_build_object('field', ${c}.anchor -> 'field', 'language', upper(${c}.anchor ->> 'language'), 'exact', ${c}.anchor -> 'exact', 'start', ${c}.anchor -> 'start', 'end', ${c}.anchor -> 'end') end,
  'disposition', ${
    top
      ? `(select json_build_object('status', d.status, 'response', d.response, 'responseHtml', d.response_html, 'decidedByName', d.decided_by_name, 'decidedAt', d.decided_at, 'duplicateOfId', d.duplicate_of_id)
      from disposition d where d.comment_id = ${c}.id)`
      : 'null'
  },
  'revisions', case when ${c}.edited_at is null then '[]'::json else (select coalesce(json_agg(json_build_object('number', cr.number, 'body', cr.body, 'writtenAt', cr.written_at) order by cr.number), '[]')
                from comment_revision cr where cr.comment_id = ${c}.id) end,
  'takenUpBy', (select coalesce(json_agg(json_build_object('id', tv.id, 'number', tv.number, 'status', tv.status) order by tv.created_at desc), '[]')
                from revision_comment rc join indicator_version tv on tv.id = rc.revision_id where rc.comment_id = ${c}.id)${more})`;

const INDICATOR_PAGE = `
with ${ME},
h as (
  select r.id, r.opens_at, r.closes_at, r.title, r.framework_id, r.audience_all, r.audience_working_group, r.audience_organization_ids, r.audience_countries, f.source_language,
         rv.id as rv_id, rv.comment_count, rv.undisposed_count, i.code, v.id as version_id, v.number, v.texts
  from consultation_round r join framework f on f.id = r.framework_id join round_version rv on rv.round_id = r.id and rv.indicator_id = $3
  join indicator i on i.id = rv.indicator_id join indicator_version v on v.id = rv.indicator_version_id where r.id = $2),
page as (
  select c.* from comment c where c.round_id = $2 and c.parent_id is null and c.indicator_id = $3 order by c.created_at, c.id limit $4),
edges as (
  select coalesce(json_agg(json_build_object('node', ${COMMENT('p', true, `,
    'thread', (select coalesce(json_agg(${COMMENT('t', false)} order by t.created_at, t.id), '[]') from comment t where t.thread_id = p.id and t.parent_id is not null)`)})
    order by p.created_at, p.id), '[]') as list
  from page p cross join me)
select json_build_object('data', json_build_object(
  'round', json_build_object('id', h.id, 'status', ${STATUS('h')}, 'closesAt', h.closes_at, 'viewerMayTakePart', ${TAKES_PART('h', 'me.roles', 'me.organization_id', 'me.country')},
    'title', json_build_object('value', ${localized('h.title', 'array[me.language]', 'h.source_language')} ->> 'value'),
    'framework', json_build_object('id', h.framework_id),
    'indicator', json_build_object('id', h.rv_id, 'commentCount', h.comment_count, 'undisposedCount', h.undisposed_count,
      'indicator', json_build_object('id', $3::uuid, 'code', h.code),
      'indicatorVersion', json_build_object('id', h.version_id, 'number', h.number,
        'fields', (select json_agg(json_build_object('field', f.name, 'text', ${localized('h.texts -> f.name', "array['es', me.language]", 'h.source_language')}) order by f.o)
                   from unnest(array['TITLE','STATEMENT','RATIONALE','MEASUREMENT','VERIFICATION','DATA_SOURCE','LEVELS']) with ordinality as f(name, o))))),
  'roundComments', json_build_object(
    -- as ours counts it: the version's counter of standing comments, plus the withdrawn ones
    'totalCount', h.comment_count + (select count(*)::int from comment c where c.round_id = $2 and c.parent_id is null and c.indicator_id = $3 and c.withdrawn_at is not null),
    'edges', edges.list)))::text as body
from h, me, edges`;

type Send = (status: number, body: string) => void;

/** The routes of the physical floor: `/sql/round/:id`, `/sql/round-recount/:id`, `/sql/indicator/:roundId/:indicatorId?first=`. */
export function sqlFloor(pool: pg.Pool) {
  const one = async (name: string, text: string, values: unknown[], send: Send) => {
    const { rows } = await pool.query<{ body: string }>({ name, text, values });
    if (!rows[0]) send(401, '');
    else send(200, rows[0].body);
  };
  return async (tokenHash: string, parts: string[], url: URL, send: Send) => {
    const [kind, a, b] = parts;
    if (kind === 'round') await one('round-page', roundPage(false), [tokenHash, a], send);
    else if (kind === 'round-recount') await one('round-recount', roundPage(true), [tokenHash, a], send);
    else if (kind === 'indicator') await one('indicator-page', INDICATOR_PAGE, [tokenHash, a, b, Number(url.searchParams.get('first') ?? 50)], send);
    else send(404, '');
  };
}
