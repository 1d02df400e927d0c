import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BallotOutcome } from '../ballots/ballot-rules.js';
import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import type { Ballot } from '../ballots/ballot.entity.js';
import type { Comment } from '../comments/comment.entity.js';
import { IndicatorVersion, type Indicator } from '../indicators/indicator.entity.js';
import { RevisionComment } from '../revisions/revision-comment.entity.js';

export enum ReleaseChangeKind {
  ADDED = 'ADDED',
  CHANGED = 'CHANGED',
  RETIRED = 'RETIRED',
}
registerEnumType(ReleaseChangeKind, {
  name: 'ReleaseChangeKind',
  description: 'How an indicator changed from the previous release.',
  valuesConfig: {
    ADDED: { description: 'In this release, not in the previous one.' },
    CHANGED: { description: 'At a later version than in the previous release.' },
    RETIRED: { description: 'In the previous release, left out of this one (retired).' },
  },
});

/** One indicator of a release (or of the framework now, for a preview) at one version. */
export interface SnapshotEntry {
  indicatorId: string;
  versionId: string;
  code: string;
  position: number;
}

/** One version between the previous release's and this release's: who approved it, what it answered. */
@ObjectType({ description: 'A version adopted since the previous release: the ballots that approved it and the comments it answered.' })
export class ReleaseChangeStep {
  @Field(() => IndicatorVersion, { description: 'The version adopted.' })
  version!: IndicatorVersion;

  @Field(() => [BallotQuestionLink], { description: 'The ballot questions that approved this version; none when it was published from a draft.' })
  approvedBy!: BallotQuestionLink[];

  /** Every comment this version answers; the field resolver keeps those of rounds the viewer may read. */
  comments!: Comment[];
}

@ObjectType({ description: 'A ballot question that approved a version, with its ballot.' })
export class BallotQuestionLink {
  @Field(() => BallotQuestion, { description: 'The question that approved the version.' })
  question!: BallotQuestion;

  /** Resolved by the release resolver (the ballot is a reference on the question). */
  ballot!: Ballot;
}

@ObjectType({ description: 'How one indicator changed since the previous release.' })
export class ReleaseChange {
  @Field(() => ReleaseChangeKind, { description: 'Added, changed or retired.' })
  kind!: ReleaseChangeKind;

  @Field(() => String, { description: 'The indicator’s code.' })
  code!: string;

  indicator!: Indicator;

  @Field(() => IndicatorVersion, { nullable: true, description: 'Its version in the previous release; null when ADDED.' })
  from!: IndicatorVersion | null;

  @Field(() => IndicatorVersion, { nullable: true, description: 'Its version in this release; null when RETIRED.' })
  to!: IndicatorVersion | null;

  @Field(() => [ReleaseChangeStep], { description: 'Each version adopted after `from` up to `to`, oldest first.' })
  steps!: ReleaseChangeStep[];
}

/** Followed parents at most this far back: a chain is never longer, and a cycle cannot hang a request. */
const MAX_CHAIN = 10_000;

/**
 * The changes from `previous` (the last release's snapshot; empty for a first release) to `next`:
 * per indicator added, at another version, or left out. The versions in between are the chain of
 * parents from the new version back to the old one; each comes with the ballot questions that
 * approved it and the comments it answered. Everything read is immutable (versions, decided
 * questions), so a release's changelog reads the same whenever it is computed.
 */
export async function buildChangelog(em: EntityManager, previous: SnapshotEntry[], next: SnapshotEntry[]): Promise<ReleaseChange[]> {
  const before = new Map(previous.map((e) => [e.indicatorId, e]));
  const after = new Map(next.map((e) => [e.indicatorId, e]));
  const touched = [
    ...next.filter((e) => before.get(e.indicatorId)?.versionId !== e.versionId),
    ...previous.filter((e) => !after.has(e.indicatorId)),
  ];
  if (!touched.length) return [];
  const indicatorIds = [...new Set(touched.map((e) => e.indicatorId))];
  const versions = await em.find(IndicatorVersion, { indicator: { $in: indicatorIds } }, { populate: ['indicator'] });
  const byId = new Map(versions.map((v) => [v.id, v]));

  const changes = touched.map((entry) => {
    const from = before.get(entry.indicatorId) ?? null;
    const to = after.get(entry.indicatorId) ?? null;
    const chain: IndicatorVersion[] = [];
    for (let v = to ? byId.get(to.versionId) : undefined; v && v.id !== from?.versionId && chain.length < MAX_CHAIN; v = v.parent ? byId.get(v.parent.id) : undefined) {
      chain.push(v);
    }
    const anyVersion = byId.get((to ?? from)!.versionId)!;
    return {
      kind: !from ? ReleaseChangeKind.ADDED : !to ? ReleaseChangeKind.RETIRED : ReleaseChangeKind.CHANGED,
      code: entry.code,
      indicator: anyVersion.indicator.getEntity(),
      from: from ? byId.get(from.versionId)! : null,
      to: to ? byId.get(to.versionId)! : null,
      steps: chain.reverse().map((version) => ({ version, approvedBy: [], comments: [] }) as ReleaseChangeStep),
    } satisfies ReleaseChange;
  });

  const steps = new Map(changes.flatMap((c) => c.steps.map((s) => [s.version.id, s] as const)));
  if (steps.size) {
    const ids = [...steps.keys()];
    const questions = await em.find(BallotQuestion, { revision: { $in: ids }, outcome: BallotOutcome.APPROVED }, { populate: ['ballot'], orderBy: { decidedAt: 'asc' } });
    for (const question of questions) steps.get(question.revision!.id)!.approvedBy.push({ question, ballot: question.ballot.getEntity() });
    const links = await em.find(RevisionComment, { revision: { $in: ids } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc' } } });
    for (const link of links) steps.get(link.revision.id)!.comments.push(link.comment.getEntity());
  }
  return changes;
}
