import type { EntityManager } from '@mikro-orm/postgresql';
import { Ballot } from '../ballots/ballot.entity.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { ActionItem, Meeting } from '../meetings/meeting.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Locale } from '../users/user.entity.js';
import type { WorkActivityLink } from './workplan.entity.js';

/** What a link names: its words in the reader's languages, and the path of its page. */
export interface LinkTarget {
  label(languages: readonly Locale[]): string;
  path: string;
}

const titled = (title: LocalizedText, source: Locale, path: string): LinkTarget => ({ label: (languages) => localize(title, languages, source)?.value ?? '', path });

/** The targets of `links`, by link id: one query per kind of target among them. */
export async function linkTargets(em: EntityManager, links: readonly WorkActivityLink[]): Promise<Map<string, LinkTarget>> {
  const ids = (pick: (l: WorkActivityLink) => string | null | undefined) => [...new Set(links.map(pick).filter((id): id is string => !!id))];
  const [meetings, rounds, ballots, actions] = await Promise.all([
    em.find(Meeting, { id: { $in: ids((l) => l.meetingId) } }),
    em.find(ConsultationRound, { id: { $in: ids((l) => l.roundId) } }),
    em.find(Ballot, { id: { $in: ids((l) => l.ballotId) } }),
    em.find(ActionItem, { id: { $in: ids((l) => l.actionItemId) } }),
  ]);
  const targets = new Map<string, LinkTarget>([
    ...meetings.map((m) => [m.id, titled(m.title, m.language, `/meetings/${m.id}`)] as const),
    ...rounds.map((r) => [r.id, titled(r.title, Locale.ES, `/rounds/${r.id}`)] as const),
    ...ballots.map((b) => [b.id, titled(b.title, Locale.ES, `/ballots/${b.id}`)] as const),
    ...actions.map((a) => [a.id, { label: () => a.description, path: `/meetings/${a.meeting.id}` }] as const),
  ]);
  return new Map(links.flatMap((l) => {
    const target = targets.get((l.meetingId ?? l.roundId ?? l.ballotId ?? l.actionItemId)!);
    return target ? [[l.id, target] as const] : [];
  }));
}
