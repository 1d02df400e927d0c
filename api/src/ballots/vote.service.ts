import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit.service.js';
import { rowDate } from '../db/row-date.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import { BallotEligibility, BallotStatus, ballotStatus } from './ballot.entity.js';
import type { CastVoteInput } from './ballot.inputs.js';
import { BallotVote, VoteChoice } from './ballot-vote.entity.js';

interface VoteTarget {
  ballot_id: string;
  closed_at: Date | string | null;
  frozen_at: Date | string | null;
  opens_at: Date | string;
  closes_at: Date | string;
  voter_id: string | null;
  voter_organization_id: string | null;
}

/**
 * Casts or changes the viewer's vote (their organization's, in an ORGANIZATIONS ballot: any of
 * its members may cast it and the latest stands). One row per voter and question, written with
 * an upsert against the UNIQUE constraint, so parallel requests of one voter end with the last
 * one; the tally trigger moves the counters in the same transaction.
 */
export async function castVote(em: EntityManager, viewer: Viewer, input: CastVoteInput) {
  const reason = input.reason?.trim() || null;
  if (input.choice === VoteChoice.REJECT && !reason) throw badInput('reason', 'A REJECT must say why', 'REASON_REQUIRED');

  // The question, its ballot under a shared lock (votes proceed side by side, while a close waits
  // for them, and they for it) and the viewer's voter row: one statement, as a vote is the hot write.
  const [target] = await em.execute<VoteTarget[]>(
    `select b.id as ballot_id, b.closed_at, b.frozen_at, b.opens_at, b.closes_at, v.id as voter_id, v.organization_id as voter_organization_id
     from ballot_question q join ballot b on b.id = q.ballot_id
     left join ballot_voter v on v.ballot_id = b.id and case when b.eligibility = ? then v.user_id = ? else v.organization_id = ? end
     where q.id = ? for share of b`,
    [BallotEligibility.MEMBERS, viewer.id, viewer.organizationId, input.questionId],
  );
  if (!target) throw notFound('Question', input.questionId);
  const ballot = { id: target.ballot_id, closedAt: rowDate(target.closed_at), frozenAt: rowDate(target.frozen_at), opensAt: rowDate(target.opens_at), closesAt: rowDate(target.closes_at) };
  const now = new Date();
  const status = ballotStatus(ballot, now);
  if (status === BallotStatus.DRAFT || status === BallotStatus.SCHEDULED) throw conflict('This ballot is not open yet', { reason: 'BALLOT_NOT_OPEN', opensAt: ballot.opensAt.toISOString() });
  if (status === BallotStatus.CLOSED) throw conflict('This ballot is closed', { reason: 'BALLOT_CLOSED', closesAt: ballot.closesAt.toISOString() });
  if (!target.voter_id) throw forbidden('You are not among the eligible voters of this ballot', 'NOT_ELIGIBLE');
  const voter = { id: target.voter_id, organizationId: target.voter_organization_id };
  const question = { id: input.questionId };

  // The audit entry goes first, so the question's counter row stays locked only from the upsert to the commit.
  audit(em, {
    actorId: viewer.id,
    action: 'vote.cast',
    subjectType: 'BallotQuestion',
    subjectId: question.id,
    scopeId: ballot.id,
    data: { voterId: voter.id, organizationId: voter.organizationId ?? null, choice: input.choice, reason },
  });
  await em.flush();
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (question_id, voter_id) do update
       set choice = excluded.choice, reason = excluded.reason, cast_by_id = excluded.cast_by_id,
           cast_by_name = excluded.cast_by_name, updated_at = excluded.updated_at
     returning *`,
    [randomUUID(), ballot.id, question.id, voter.id, input.choice, reason, viewer.id, viewer.user.name, now, now],
  );
  return em.map(BallotVote, row);
}
