import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { reads } from '../db/reads.js';
import { groupSize } from './analysis.loaders.js';
import { MembershipState } from './near-duplicate.entity.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { shownName } from '../privacy/former-participant.js';
import type { Locale } from '../users/user.entity.js';
import type { FeedbackSourceKind } from './on-behalf-source.entity.js';

/** What the analysis adds to a row of the disposition-of-comments table. */
export interface AnalysisCells {
  themes: string;
  nearDuplicateGroup: string;
  nearDuplicateGroupSize: number | '';
  onBehalf: string;
}

const SOURCE: Record<Locale, Record<FeedbackSourceKind, string> & { enteredBy: string }> = {
  es: { WORKSHOP: 'Taller', MEETING: 'Reunión', EMAIL: 'Correo electrónico', PAPER: 'Papel', OTHER: 'Otra fuente', enteredBy: 'ingresado por' },
  en: { WORKSHOP: 'Workshop', MEETING: 'Meeting', EMAIL: 'E-mail', PAPER: 'Paper', OTHER: 'Other source', enteredBy: 'entered by' },
  pt: { WORKSHOP: 'Oficina', MEETING: 'Reunião', EMAIL: 'E-mail', PAPER: 'Papel', OTHER: 'Outra fonte', enteredBy: 'inserido por' },
  fr: { WORKSHOP: 'Atelier', MEETING: 'Réunion', EMAIL: 'Courriel', PAPER: 'Papier', OTHER: 'Autre source', enteredBy: 'saisi par' },
} as Record<Locale, Record<FeedbackSourceKind, string> & { enteredBy: string }>;

/** A group's short name in exports: the same in every file of the round, and in the JSON document's ids. */
export const groupName = (id: string) => `G-${id.slice(0, 8)}`;

/**
 * The themes, near-duplicate group (with its size) and on-behalf source of a page of comments, in
 * one statement; the page's ids go in as one array parameter: expanding `in (…)` per id costs more than the query.
 */
export async function analysisCells(em: EntityManager, ids: string[], language: Locale, sourceLanguage: Locale): Promise<Map<string, AnalysisCells>> {
  const rows = await reads(em)
    .selectFrom(sql<{ id: string }>`unnest(${ids}::uuid[])`.as<'x'>(sql`x(id)`))
    .leftJoin('near_duplicate_member as m', (join) => join.onRef('m.comment_id', '=', 'x.id').on('m.state', '<>', MembershipState.REMOVED))
    .leftJoin('on_behalf_source as s', 's.comment_id', 'x.id')
    .select(({ selectFrom, ref }) => [
      'x.id as comment_id',
      selectFrom('comment_theme as ct')
        .innerJoin('theme as t', 't.id', 'ct.theme_id')
        .select((theme) => sql<LocalizedText[] | null>`json_agg(${theme.ref('t.label')} order by ${theme.ref('t.position')})`.as('themes'))
        .whereRef('ct.comment_id', '=', 'x.id')
        .as('themes'),
      'm.group_id',
      groupSize(ref('m.group_id')).as('group_size'),
      's.kind',
      's.event_name',
      sql<string | null>`to_char(${ref('s.given_on')}, 'YYYY-MM-DD')`.as('given_on'),
      's.place',
      's.entered_by_name',
    ])
    .execute();
  const words = SOURCE[language] ?? SOURCE.en;
  return new Map(
    rows.map((r) => [
      r.comment_id,
      {
        themes: (r.themes ?? []).map((t) => localize(t, language, sourceLanguage)?.value ?? '').join('; '),
        nearDuplicateGroup: r.group_id && (r.group_size ?? 0) >= 2 ? groupName(r.group_id) : '',
        nearDuplicateGroupSize: r.group_id && (r.group_size ?? 0) >= 2 ? r.group_size! : '',
        onBehalf: r.kind ? [words[r.kind as FeedbackSourceKind], r.event_name, r.given_on, r.place].filter(Boolean).join(', ') + ` (${words.enteredBy} ${shownName(r.entered_by_name!, language)})` : '',
      },
    ]),
  );
}
