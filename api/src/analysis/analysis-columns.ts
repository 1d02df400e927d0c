import type { EntityManager } from '@mikro-orm/postgresql';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
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

interface Row {
  comment_id: string;
  themes: LocalizedText[] | null;
  group_id: string | null;
  group_size: number | null;
  kind: FeedbackSourceKind | null;
  event_name: string | null;
  given_on: string | null;
  place: string | null;
  entered_by_name: string | null;
}

/**
 * The themes, near-duplicate group (with its size) and on-behalf source of a page of comments, in
 * one statement; `idList` is the page's ids as a PostgreSQL array literal.
 */
export async function analysisCells(em: EntityManager, idList: string, language: Locale, sourceLanguage: Locale): Promise<Map<string, AnalysisCells>> {
  const rows = await em.execute<Row[]>(
    `select x.id as comment_id,
            (select json_agg(t.label order by t.position) from comment_theme ct join theme t on t.id = ct.theme_id where ct.comment_id = x.id) as themes,
            m.group_id, (select count(*)::int from near_duplicate_member o where o.group_id = m.group_id and o.state <> 'REMOVED') as group_size,
            s.kind, s.event_name, to_char(s.given_on, 'YYYY-MM-DD') as given_on, s.place, s.entered_by_name
     from unnest(?::uuid[]) as x(id)
     left join near_duplicate_member m on m.comment_id = x.id and m.state <> 'REMOVED'
     left join on_behalf_source s on s.comment_id = x.id`,
    [idList],
  );
  const words = SOURCE[language] ?? SOURCE.en;
  return new Map(
    rows.map((r) => [
      r.comment_id,
      {
        themes: (r.themes ?? []).map((t) => localize(t, language, sourceLanguage)?.value ?? '').join('; '),
        nearDuplicateGroup: r.group_id && (r.group_size ?? 0) >= 2 ? groupName(r.group_id) : '',
        nearDuplicateGroupSize: r.group_id && (r.group_size ?? 0) >= 2 ? r.group_size! : '',
        onBehalf: r.kind ? [words[r.kind], r.event_name, r.given_on, r.place].filter(Boolean).join(', ') + ` (${words.enteredBy} ${r.entered_by_name})` : '',
      },
    ]),
  );
}
