import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Comment } from '../comments/comment.entity.js';
import { addComment } from '../comments/comment.service.js';
import { badInput } from '../errors.js';
import { Organization } from '../organizations/organization.entity.js';
import { OnBehalfSource } from './on-behalf-source.entity.js';
import type { OnBehalfCommentInput } from './on-behalf.inputs.js';

const clean = (s: string | null | undefined) => s?.trim() || null;

/**
 * Enters feedback given outside Consulta as a comment of the round (through the comment service:
 * same targets, anchors, counters and grouping), authored by the person or organization it came
 * from, and marked with its source and the facilitator who entered it.
 */
export async function enterOnBehalf(em: EntityManager, viewer: Viewer, input: OnBehalfCommentInput): Promise<Comment> {
  const s = input.source;
  const organization = s.organizationId ? await em.findOne(Organization, { id: s.organizationId }) : null;
  if (s.organizationId && !organization) throw badInput('source.organizationId', 'No such organization');
  const personName = clean(s.personName);
  const organizationName = organization?.name ?? clean(s.organizationName);
  if (!personName && !organizationName) throw badInput('source.personName', 'Say on whose behalf: a person, an organization, or both');
  if (s.givenOn && s.givenOn > new Date().toISOString().slice(0, 10)) throw badInput('source.givenOn', 'The date cannot be in the future');
  const comment = await addComment(em, viewer, input.comment);
  comment.authorName = personName ?? organizationName!;
  comment.authorOrganizationId = organization?.id ?? null;
  comment.authorOrganizationName = organizationName;
  comment.authorOrganizationKind = organization?.kind ?? s.organizationKind ?? null;
  comment.authorCountry = organization?.country ?? s.country?.toUpperCase() ?? null;
  const source = em.create(OnBehalfSource, {
    comment,
    kind: s.kind,
    eventName: clean(s.eventName),
    givenOn: s.givenOn ?? null,
    place: clean(s.place),
    personName,
    organizationName,
    enteredById: viewer.id,
    enteredByName: viewer.user.name,
  });
  audit(em, { actorId: viewer.id, action: 'comment.entered_on_behalf', subjectType: 'Comment', subjectId: comment.id, scopeId: comment.round.id, data: { kind: source.kind, eventName: source.eventName, givenOn: source.givenOn, place: source.place, personName, organizationName, organizationId: organization?.id ?? null } });
  await em.flush();
  return comment;
}
