/** The notifications operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationKind } from '../../../api/src/notifications/notification.entity.js';
import { unsubscribeToken } from '../../../api/src/notifications/unsubscribe-link.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD } from '../../support/api.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';

/** A throwaway account's unsubscribe token, so no demo account's settings change. */
async function token(fx: Fixtures) {
  const em: EntityManager = fx.em();
  const user = em.create(User, { email: `avisos.${fx.unique()}@example.org`, name: 'Persona Avisada', roles: [Role.STAKEHOLDER], passwordHash: await fx.api.app.hasher.hash(DEMO_PASSWORD) });
  await em.flush();
  return unsubscribeToken(em, user.id, NotificationKind.ROUND_OPENED);
}

export const notificationQueries: Record<string, OperationRow> = {
  myNotifications: { minimum: 'signedIn', rule: 'only my own notifications', document: `{ myNotifications { hasMore items { id text } } }` },
  myNotificationPreferences: { minimum: 'signedIn', rule: 'only my own settings', document: `{ myNotificationPreferences { kind delivery } }` },
};

export const notificationMutations: Record<string, OperationRow> = {
  markNotificationsRead: {
    minimum: 'signedIn',
    rule: 'only my own notifications (others’ ids change nothing: notifications/notifications.test.ts)',
    document: `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
    variables: () => ({ ids: ['00000000-0000-4000-8000-000000000000'] }),
    unaudited: 'a person’s own reading marks',
  },
  setNotificationPreference: {
    minimum: 'signedIn',
    rule: 'only my own settings',
    document: `mutation($kind: NotificationKind!, $delivery: NotificationDelivery!) { setNotificationPreference(kind: $kind, delivery: $delivery) { kind delivery } }`,
    variables: () => ({ kind: 'SUMMARY_PUBLISHED', delivery: 'DIGEST' }),
  },
  unsubscribeFromNotifications: {
    minimum: 'public',
    rule: 'anyone holding a link Consulta signed (a forged one is BAD_USER_INPUT: notifications/notifications.test.ts)',
    document: `mutation($token: String!) { unsubscribeFromNotifications(token: $token) }`,
    variables: async (fx) => ({ token: await token(fx) }),
  },
};
