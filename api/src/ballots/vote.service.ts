import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { executePrepared } from '../db/prepared-statement.js';
import { rowDate } from '../db/row-date.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import { BallotEligibility, BallotStatus, ballotOpenSql, ballotStatus } from './ballot.entity.js';
import type { CastVoteInput } from './ballot.inputs.js';
import { LiveEventKind, topics } from '../live/live-event.js';
import { liveEventCtes } from '../live/live-event.log.js';
import { dispatchAfterCommit } from '../live/publish.js';
import { BallotVote, VoteChoice } from './ballot-vote.entity.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { Role } from '../users/user.entity.js';
import { canSee } from './ballot.service.js';

/** Written by the statement itself, not through `audit()`: the same list of actions holds it. */
const VOTE_CAST: AuditAction = 'vote.cast';

interface VoteOutcome {
  ballot_id: string;
  eligibility: BallotEligibility;
  closed_at: Date | string | null;
  frozen_at: Date | string | null;
  opens_at: Date | string;
  closes_at: Date | string;
  voter_id: string | null;
  /** The vote as written; null when the checks kept it out. */
  vote: Record<string, unknown> | null;
}

/**
 * Casts or changes the viewer's vote (their organization's, in an ORGANIZATIONS ballot: any of
 * its members may cast it and the latest stands). One row per voter and question, written with
 * an upsert against the UNIQUE constraint, so parallel requests of one voter end with the last
 * one; the tally trigger moves the counters.
 *
 * Everything is one statement, its own transaction (the resolver is `@OneStatement`). It reads
 * the question's ballot under a shared lock (a close waits for the votes under way, and they for
 * it) with the viewer's voter row, and locks the question's row, which the tally trigger updates,
 * before the ballot's live topic: every vote takes the two in that order. It writes the vote only
 * if the ballot is open and the viewer may vote (a member among the voters of a working-group ballot,
 * or of an organization among them; anyone among a committee ballot's voters), and with it the audit entry, the ballot's live
 * event (publishLiveEvent's, in SQL), whose dispatch follows the commit; what it read tells a refused
 * vote's reason.
 */
export async function castVote(em: EntityManager, viewer: Viewer, input: CastVoteInput): Promise<BallotVote> {
  const reason = input.reason?.trim() || null;
  if (input.choice === VoteChoice.REJECT && !reason) throw badInput('reason', 'A REJECT must say why', 'REASON_REQUIRED');
  const now = new Date();
  const [outcome] = await executePrepared<VoteOutcome>(
    em,
    'cast-vote',
    `with target as (
       select b.id as ballot_id, b.eligibility, b.closed_at, b.frozen_at, b.opens_at, b.closes_at, v.id as voter_id, v.organization_id as voter_organization_id
       from ballot_question q join ballot b on b.id = q.ballot_id
       left join ballot_voter v on v.ballot_id = b.id and case b.eligibility when ? then ?::boolean and v.organization_id = ? when ? then ?::boolean and v.user_id = ? else v.user_id = ? end
       where q.id = ? for no key update of q for share of b),
     vote as (
       insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
       select ?, t.ballot_id, ?, t.voter_id, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz from target t
       where t.voter_id is not null and ${ballotOpenSql('t', '?::timestamptz')}
       on conflict (question_id, voter_id) do update
         set choice = excluded.choice, reason = excluded.reason, cast_by_id = excluded.cast_by_id,
             cast_by_name = excluded.cast_by_name, updated_at = excluded.updated_at
       returning *),
     audited as (
       insert into audit_entry (actor_id, action, subject_type, subject_id, scope_id, data)
       select v.cast_by_id, '${VOTE_CAST}', 'BallotQuestion', v.question_id, v.ballot_id,
              jsonb_build_object('voterId', v.voter_id, 'organizationId', t.voter_organization_id, 'choice', v.choice, 'reason', v.reason)
       from vote v cross join target t),
     ${liveEventCtes('select ? || ballot_id as topic, 1 as n from vote', '?', "(select jsonb_build_object('ballotId', ballot_id) from target)")}
     select t.*, to_jsonb(v) as vote from target t left join vote v on true`,
    [
      BallotEligibility.ORGANIZATIONS, viewer.has(Role.MEMBER), viewer.organizationId, BallotEligibility.MEMBERS, viewer.has(Role.MEMBER), viewer.id, viewer.id, input.questionId,
      randomUUID(), input.questionId, input.choice, reason, viewer.id, viewer.user.name, now, now,
      now, now,
      topics.ballot(''), LiveEventKind.VOTE_CAST,
    ],
  );
  if (!outcome || (outcome.eligibility === BallotEligibility.COMMITTEE && !canSee(outcome, viewer))) throw notFound('Question', input.questionId);
  if (outcome.vote) dispatchAfterCommit(em, topics.ballot(outcome.ballot_id));
  if (!outcome.vote) {
    // A working-group ballot is for members: anyone else is refused whatever the ballot's state, as the role alone would.
    if (outcome.eligibility !== BallotEligibility.COMMITTEE && !viewer.has(Role.MEMBER)) throw forbidden('Only working-group members vote in its ballots', 'NOT_ELIGIBLE');
    const ballot = { closedAt: rowDate(outcome.closed_at), frozenAt: rowDate(outcome.frozen_at), opensAt: rowDate(outcome.opens_at), closesAt: rowDate(outcome.closes_at) };
    const status = ballotStatus(ballot, now);
    if (status === BallotStatus.DRAFT || status === BallotStatus.SCHEDULED) throw conflict('This ballot is not open yet', { reason: 'BALLOT_NOT_OPEN', opensAt: ballot.opensAt.toISOString() });
    if (status === BallotStatus.CLOSED) throw conflict('This ballot is closed', { reason: 'BALLOT_CLOSED', closesAt: ballot.closesAt.toISOString() });
    throw forbidden('You are not among the eligible voters of this ballot', 'NOT_ELIGIBLE');
  }
  return em.map(BallotVote, outcome.vote);
}
