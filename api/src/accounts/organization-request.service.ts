import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { conflict, notFound } from '../errors.js';
import { Organization } from '../organizations/organization.entity.js';
import { OrganizationRequest, OrganizationRequestStatus } from './organization-request.entity.js';

export function pendingOrganizationRequests(em: EntityManager) {
  return em.find(OrganizationRequest, { status: OrganizationRequestStatus.PENDING }, { orderBy: { createdAt: 'asc' }, populate: ['requestedBy'] });
}

async function pending(em: EntityManager, id: string) {
  const request = await em.findOne(OrganizationRequest, { id }, { populate: ['requestedBy'] });
  if (!request) throw notFound('OrganizationRequest', id);
  if (request.status !== OrganizationRequestStatus.PENDING) throw conflict('This request was decided already', { reason: 'REQUEST_DECIDED' });
  return request;
}

/**
 * Makes the person who asked one of the organization's people: the known organization they chose at
 * sign-up (a join request), or a new one, created now (or, when one of that name exists by now, that one).
 */
export async function approveOrganizationRequest(em: EntityManager, actor: Viewer, id: string) {
  const request = await pending(em, id);
  const organization = request.organization
    ? await request.organization.loadOrFail()
    : ((await em.findOne(Organization, { name: { $ilike: request.name } })) ?? em.create(Organization, { name: request.name, kind: request.kind, country: request.country }));
  const person = request.requestedBy.getEntity();
  person.organization = em.getReference(Organization, organization.id, { wrapped: true });
  Object.assign(request, { status: OrganizationRequestStatus.APPROVED, organization, decidedBy: actor.id, decidedAt: new Date() });
  audit(em, { actorId: actor.id, action: 'organization_request.approved', subjectType: 'OrganizationRequest', subjectId: request.id, data: { organizationId: organization.id, name: request.name, userId: person.id, joined: Boolean(request.organization) } });
  await em.flush();
  return request;
}

/** The person stays an individual; they may be given an organization later. */
export async function refuseOrganizationRequest(em: EntityManager, actor: Viewer, id: string) {
  const request = await pending(em, id);
  Object.assign(request, { status: OrganizationRequestStatus.REFUSED, decidedBy: actor.id, decidedAt: new Date() });
  audit(em, { actorId: actor.id, action: 'organization_request.refused', subjectType: 'OrganizationRequest', subjectId: request.id, data: { name: request.name, userId: request.requestedBy.id } });
  await em.flush();
  return request;
}
