import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { registerEnumType } from 'type-graphql';
import { OnBehalfSource } from '../analysis/on-behalf-source.entity.js';
import { audit } from '../audit/audit.service.js';
import { revokeAllSessions } from '../auth/session.service.js';
import type { PasswordHasher } from '../auth/password.js';
import type { Viewer } from '../auth/viewer.js';
import { BallotVote } from '../ballots/ballot-vote.entity.js';
import { BallotVoter } from '../ballots/ballot-voter.entity.js';
import { badInput } from '../errors.js';
import { Comment } from '../comments/comment.entity.js';
import { reads } from '../db/reads.js';
import { Disposition } from '../dispositions/disposition.entity.js';
import { Notification, NotificationPreference } from '../notifications/notification.entity.js';
import { adjustCounters } from '../rounds/round-counters.js';
import { User } from '../users/user.entity.js';
import { ERASED_NAME } from './former-participant.js';

export enum CommentsOnDeletion {
  KEEP_AS_FORMER_PARTICIPANT = 'KEEP_AS_FORMER_PARTICIPANT',
  WITHDRAW = 'WITHDRAW',
}
registerEnumType(CommentsOnDeletion, {
  name: 'CommentsOnDeletion',
  description: 'What happens to a deleted account’s comments and replies.',
  valuesConfig: {
    KEEP_AS_FORMER_PARTICIPANT: { description: 'They stay in the record, signed “former participant” with the organization they were written for.' },
    WITHDRAW: { description: 'They are withdrawn: kept in the record as withdrawn, out of the lists, summaries and public pages.' },
  },
});

/**
 * Everything Consulta holds about the person, as one JSON document: their profile, memberships,
 * comments and replies (with their earlier texts), votes, ratings, sessions, the audit entries
 * they made or that are about them, their notifications and notification settings, and the mails sent them. Reading it is itself recorded nowhere: it is theirs.
 */
export async function personalData(em: EntityManager, viewer: Viewer): Promise<Record<string, unknown>> {
  const db = reads(em);
  const id = viewer.id;
  const [user, comments, revisions, votes, ratings, sessions, auditEntries, notifications, notificationSettings, mails] = await Promise.all([
    db
      .selectFrom('app_user as u')
      .leftJoin('organization as o', 'o.id', 'u.organization_id')
      .select(['u.id', 'u.name', 'u.email', 'u.language', 'u.roles', 'u.active', 'u.created_at', 'o.id as organization_id', 'o.name as organization_name', 'o.country as organization_country'])
      .where('u.id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('comment as c')
      .leftJoin('disposition as d', 'd.comment_id', 'c.id')
      .select(['c.id', 'c.round_id', 'c.parent_id', 'c.target_kind', 'c.indicator_version_id', 'c.type', 'c.body', 'c.proposed_change', 'c.anchor', 'c.author_name', 'c.author_organization_name', 'c.created_at', 'c.edited_at', 'c.withdrawn_at', 'd.status as disposition', 'd.response'])
      .where('c.author_id', '=', id)
      .orderBy('c.created_at')
      .execute(),
    db
      .selectFrom('comment_revision as r')
      .innerJoin('comment as c', 'c.id', 'r.comment_id')
      .select(['r.comment_id', 'r.number', 'r.body', 'r.proposed_change', 'r.written_at', 'r.replaced_at'])
      .where('c.author_id', '=', id)
      .orderBy('r.comment_id')
      .orderBy('r.number')
      .execute(),
    db.selectFrom('ballot_vote').select(['ballot_id', 'question_id', 'choice', 'reason', 'cast_at', 'updated_at']).where('voter_id', '=', id).orderBy('cast_at').execute(),
    db.selectFrom('practice_rating').select(['round_id', 'indicator_id', 'value', 'comment', 'updated_at']).where('user_id', '=', id).orderBy('updated_at').execute(),
    db.selectFrom('session').select(['created_at', 'expires_at', 'revoked_at']).where('user_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('audit_entry')
      .select(['id', 'at', 'actor_id', 'action', 'subject_type', 'subject_id', 'scope_id', 'data'])
      .where((eb) => eb.or([eb('actor_id', '=', id), eb('subject_id', '=', id)]))
      .orderBy('id')
      .execute(),
    db.selectFrom('notification').select(['id', 'kind', 'subject', 'link', 'delivery', 'created_at', 'read_at', 'digested_at']).where('user_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('notification_preference').select(['kind', 'delivery']).where('user_id', '=', id).orderBy('kind').execute(),
    db.selectFrom('mail_message').select(['id', 'kind', 'to_address', 'subject', 'language', 'status', 'created_at', 'sent_at']).where('user_id', '=', id).orderBy('created_at').execute(),
  ]);
  return {
    format: 'consulta-personal-data',
    formatVersion: 1,
    exportedAt: new Date().toISOString(),
    profile: { id: user.id, name: user.name, email: user.email, language: user.language, active: user.active, createdAt: user.created_at },
    memberships: { roles: user.roles, organization: user.organization_id ? { id: user.organization_id, name: user.organization_name, country: user.organization_country } : null },
    comments: comments.map((c) => ({ ...c, revisions: revisions.filter((r) => r.comment_id === c.id) })),
    votes,
    ratings,
    sessions,
    auditEntries,
    notifications,
    // Only the kinds the person chose; every other kind follows its default.
    notificationSettings,
    // What was sent and when, not the bodies: those may hold a link still working.
    mails,
  };
}

/**
 * Deletes the person's account: their comments stay as a former participant's (with their
 * organization; the name erased, so each reader sees the label in their own language) or are withdrawn, as they choose; every session ends; name, e-mail and password
 * are erased, and so is the name stored with their votes (and as a ballot's voter), dispositions and feedback entered on others' behalf; their notifications, notification settings, mails (sent or waiting) and account links are deleted. Votes and ratings stay, counted, tied to no name. One transaction, audit-logged with the choice.
 */
export async function deleteAccount(em: EntityManager, hasher: PasswordHasher, viewer: Viewer, password: string, comments: CommentsOnDeletion): Promise<void> {
  const stored = await em.findOneOrFail(User, { id: viewer.id }, { populate: ['passwordHash'] });
  if (!stored.passwordHash || !(await hasher.verify(stored.passwordHash, password))) throw badInput('password', 'Not your password', 'WRONG_PASSWORD');
  await em.transactional(async (tx) => {
    const user = await tx.findOneOrFail(User, { id: viewer.id });
    let withdrawn = 0;
    if (comments === CommentsOnDeletion.WITHDRAW) {
      // Whatever the round's state: withdrawing here is the person's right, not a comment edit.
      for (const comment of await tx.find(Comment, { authorId: user.id, withdrawnAt: null })) {
        comment.withdrawnAt = new Date();
        if (comment.parentId) await adjustCounters(tx, comment.round.id, null, { replies: -1 });
        else {
          const disposed = (await tx.count(Disposition, { comment })) > 0;
          await adjustCounters(tx, comment.round.id, comment.indicatorVersion?.id, { comments: -1, undisposed: disposed ? 0 : -1 });
        }
        withdrawn++;
      }
    }
    // Every name stored where the person acted goes with the account: readers are shown the label.
    await tx.nativeUpdate(Comment, { authorId: user.id }, { authorName: ERASED_NAME });
    await tx.nativeUpdate(BallotVote, { castById: user.id }, { castByName: ERASED_NAME });
    await tx.nativeUpdate(BallotVoter, { userId: user.id }, { name: ERASED_NAME });
    await tx.nativeUpdate(Disposition, { decidedById: user.id }, { decidedByName: ERASED_NAME });
    await tx.nativeUpdate(OnBehalfSource, { enteredById: user.id }, { enteredByName: ERASED_NAME });
    // What only ever told the person something goes with them.
    await tx.nativeDelete(Notification, { user: user.id });
    await tx.nativeDelete(NotificationPreference, { user: user.id });
    // Their mails hold the address and their name; one still waiting is not sent (its job finds nothing).
    await reads(tx).deleteFrom('mail_message').where((eb) => eb.or([eb('user_id', '=', user.id), eb(eb.fn('lower', ['to_address']), '=', user.email.toLowerCase())])).execute();
    await reads(tx).deleteFrom('account_token').where('user_id', '=', user.id).execute();
    user.name = ERASED_NAME;
    user.email = `deleted-${randomUUID()}@deleted.invalid`;
    user.passwordHash = null;
    user.active = false;
    await revokeAllSessions(tx, user.id);
    audit(tx, { actorId: user.id, action: 'user.deleted', subjectType: 'User', subjectId: user.id, data: { comments, withdrawn } });
    await tx.flush();
  });
}
