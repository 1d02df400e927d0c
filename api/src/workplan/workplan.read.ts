import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { canSee as canSeeBallot } from '../ballots/ballot.service.js';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { message } from '../i18n/messages.js';
import { ActionItem, Meeting } from '../meetings/meeting.entity.js';
import { canSeeMeeting } from '../meetings/meeting.service.js';
import { mayReadRound } from '../rounds/round-readers.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Locale } from '../users/user.entity.js';
import type { WorkActivityLink } from './workplan.entity.js';

/** What a link names: its words in the reader's languages, and the path of its page. */
export interface LinkTarget {
  label(languages: readonly Locale[]): string;
  path: string;
  /** Whether the viewer may open it (a round's audience, a committee ballot's readers, a meeting's audience). */
  readableBy(viewer: Viewer): boolean | Promise<boolean>;
}

const titled = (title: LocalizedText, source: Locale, path: string, readableBy: LinkTarget['readableBy']): LinkTarget => ({ label: (languages) => localize(title, languages, source)?.value ?? '', path, readableBy });

/** What the viewer reads of a link: its target's words, or a neutral word when the target is not theirs to open (its page refuses them too). */
export async function labelFor(target: LinkTarget, viewer: Viewer, languages: readonly Locale[]): Promise<string> {
  return (await target.readableBy(viewer)) ? target.label(languages) : message(languages[0] ?? Locale.ES, 'workplan.link.restricted');
}

/** The targets of `links`, by link id: one query per kind of target among them. */
export async function linkTargets(em: EntityManager, links: readonly WorkActivityLink[]): Promise<Map<string, LinkTarget>> {
  const ids = (pick: (l: WorkActivityLink) => string | null | undefined) => [...new Set(links.map(pick).filter((id): id is string => !!id))];
  const [meetings, rounds, ballots, actions] = await Promise.all([
    em.find(Meeting, { id: { $in: ids((l) => l.meetingId) } }),
    em.find(ConsultationRound, { id: { $in: ids((l) => l.roundId) } }),
    em.find(Ballot, { id: { $in: ids((l) => l.ballotId) } }),
    em.find(ActionItem, { id: { $in: ids((l) => l.actionItemId) } }, { populate: ['meeting'] }),
  ]);
  const targets = new Map<string, LinkTarget>([
    ...meetings.map((m) => [m.id, titled(m.title, m.language, `/meetings/${m.id}`, (v) => canSeeMeeting(m, v))] as const),
    ...rounds.map((r) => [r.id, titled(r.title, Locale.ES, `/rounds/${r.id}`, (v) => mayReadRound(v, r))] as const),
    ...ballots.map((b) => [b.id, titled(b.title, Locale.ES, `/ballots/${b.id}`, (v) => canSeeBallot(b, v))] as const),
    ...actions.map((a) => [a.id, { label: () => a.description, path: `/meetings/${a.meeting.id}`, readableBy: (v: Viewer) => canSeeMeeting(a.meeting.getEntity(), v) }] as const),
  ]);
  return new Map(links.flatMap((l) => {
    const target = targets.get((l.meetingId ?? l.roundId ?? l.ballotId ?? l.actionItemId)!);
    return target ? [[l.id, target] as const] : [];
  }));
}
