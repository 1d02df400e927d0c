import { requireViewer, type Viewer } from '../auth/viewer.js';
import { forbidden, notFound } from '../errors.js';
import type { Organization } from '../organizations/organization.entity.js';
import { Role } from '../users/user.entity.js';
import type { ConsultationRound } from './round.entity.js';

/** What the audience rule reads of a round. */
export type RoundAudienceFields = Pick<ConsultationRound, 'audienceAll' | 'audienceOrganizationIds' | 'audienceCountries'> &
  Partial<Pick<ConsultationRound, 'draft' | 'audienceWorkingGroup'>>;

/** Everyone when the round is for all; else the listed organizations and the organizations of the listed countries. */
export function inAudience(round: RoundAudienceFields, organization: Pick<Organization, 'id' | 'country'> | null): boolean {
  if (round.audienceAll) return true;
  if (!organization) return false;
  return round.audienceOrganizationIds.includes(organization.id) || round.audienceCountries.includes(organization.country);
}

/**
 * Who may read a round: facilitators (who run every round) and its audience; a draft, facilitators only. The one rule for every
 * way in: GraphQL over HTTP, live topics over the WebSocket, the export downloads, and whatever
 * search or ballot leads to a round's comments. It sends no SQL: the viewer's organization is
 * read with their session, and the round is the row the request already loaded.
 */
export async function mayReadRound(viewer: Viewer | null, round: RoundAudienceFields): Promise<boolean> {
  if (!viewer) return false;
  if (viewer.isFacilitator) return true;
  if (round.draft) return false;
  if (round.audienceWorkingGroup) return viewer.has(Role.MEMBER);
  if (round.audienceAll) return true;
  return inAudience(round, (await viewer.user.organization?.load()) ?? null);
}

/**
 * The round, or FORBIDDEN `NOT_IN_AUDIENCE` (UNAUTHENTICATED without a session).
 *
 * FORBIDDEN rather than NOT_FOUND: round ids are random UUIDs, so only someone who was given a link
 * can ask, and they learn nothing new from being told the round exists; what they need is the true
 * reason (it is for other organizations or countries), which the web already words in every
 * language. It is also the refusal commenting and live following gave before reading did, so one
 * reason covers reading, taking part and following. Lists and search leave such rounds out.
 */
export async function requireRoundReader<R extends RoundAudienceFields & { id: string }>(viewer: Viewer | null, round: R): Promise<R> {
  // A draft is not there yet for anyone but facilitators: NOT_FOUND, as for an id that names nothing.
  if (round.draft && !requireViewer(viewer).isFacilitator) throw notFound('Round', round.id);
  if (!(await mayReadRound(requireViewer(viewer), round))) throw forbidden('This round is open to other organizations or countries', 'NOT_IN_AUDIENCE');
  return round;
}
