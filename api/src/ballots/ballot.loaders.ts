import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { entityById, groupedBy, groupedByKey } from '../db/entity-loader.js';
import { Organization } from '../organizations/organization.entity.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { Ballot } from './ballot.entity.js';
import { BallotVote } from './ballot-vote.entity.js';
import { BallotVoter } from './ballot-voter.entity.js';

/** Each ballot's questions in order: one query for all the ballots asked about. */
export const questionsOfBallot = groupedBy(BallotQuestion, 'ballot', { position: 'asc' });

/** The viewer's voter row in each ballot (as a person or through their organization), or null. */
export const myVoterIn: LoaderFactory<string, BallotVoter | null> = (em, ctx) =>
  new DataLoader(async (ballotIds) => {
    const viewer = ctx.viewer;
    if (!viewer) return ballotIds.map(() => null);
    const mine = [{ userId: viewer.id }, ...(viewer.organizationId ? [{ organizationId: viewer.organizationId }] : [])];
    const voters = await em.find(BallotVoter, { ballot: { $in: [...ballotIds] }, $or: mine });
    return ballotIds.map((id) => voters.find((v) => v.ballot.id === id) ?? null);
  });

/** The viewer's standing vote on each question, or null: one query. */
export const myVoteOn: LoaderFactory<string, BallotVote | null> = (em, ctx) =>
  new DataLoader(async (questionIds) => {
    const viewer = ctx.viewer;
    if (!viewer) return questionIds.map(() => null);
    const mine = [{ userId: viewer.id }, ...(viewer.organizationId ? [{ organizationId: viewer.organizationId }] : [])];
    const votes = await em.find(BallotVote, { question: { $in: [...questionIds] }, voter: { $or: mine } });
    return questionIds.map((id) => votes.find((v) => v.question.id === id) ?? null);
  });

/** Every standing vote on each question with its voter, by voter name: one query. */
export const votesOn: LoaderFactory<string, BallotVote[]> = (em) =>
  new DataLoader(async (questionIds) => {
    const votes = await em.find(BallotVote, { question: { $in: [...questionIds] } }, { populate: ['voter'], orderBy: { voter: { name: 'asc' } } });
    return groupedByKey(questionIds, votes, (v) => v.question.id);
  });

/** Ballots by id, in key order. */
export const ballotById = entityById(Ballot);

/** Organizations by id, in key order. */
export const organizationById = entityById(Organization);
