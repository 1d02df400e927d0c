import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import { BallotEligibility, BallotStatus, ballotStatus } from './ballot.entity.js';
import type { CastVoteInput } from './ballot.inputs.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { BallotVote, VoteChoice } from './ballot-vote.entity.js';
import { BallotVoter } from './ballot-voter.entity.js';
import { lockBallot } from './ballot.service.js';

/**
 * Casts or changes the viewer's vote (their organization's, in an ORGANIZATIONS ballot: any of
 * its members may cast it and the latest stands). One row per voter and question, written with
 * an upsert against the UNIQUE constraint, so parallel requests of one voter end with the last
 * one; the tally trigger moves the counters in the same transaction.
 */
export async function castVote(em: EntityManager, viewer: Viewer, input: CastVoteInput) {
  const reason = input.reason?.trim() || null;
  if (input.choice === VoteChoice.REJECT && !reason) throw badInput('reason', 'A REJECT must say why', 'REASON_REQUIRED');

  const question = await em.findOne(BallotQuestion, { id: input.questionId });
  if (!question) throw notFound('Question', input.questionId);
  // A shared lock: votes proceed side by side, while a close waits for them (and they for it).
  const ballot = await lockBallot(em, question.ballot.id, LockMode.PESSIMISTIC_READ);
  const now = new Date();
  const status = ballotStatus(ballot, now);
  if (status === BallotStatus.DRAFT || status === BallotStatus.SCHEDULED) throw conflict('This ballot is not open yet', { reason: 'BALLOT_NOT_OPEN', opensAt: ballot.opensAt.toISOString() });
  if (status === BallotStatus.CLOSED) throw conflict('This ballot is closed', { reason: 'BALLOT_CLOSED', closesAt: ballot.closesAt.toISOString() });

  const voter =
    ballot.eligibility === BallotEligibility.MEMBERS
      ? await em.findOne(BallotVoter, { ballot, userId: viewer.id })
      : viewer.organizationId
        ? await em.findOne(BallotVoter, { ballot, organizationId: viewer.organizationId })
        : null;
  if (!voter) throw forbidden('You are not among the eligible voters of this ballot', 'NOT_ELIGIBLE');

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
