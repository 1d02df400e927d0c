import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { conflict, notFound } from '../errors.js';
import { Organization } from './organization.entity.js';
import type { OrganizationInput } from './organization.inputs.js';

export async function createOrganization(em: EntityManager, actorId: string, input: OrganizationInput) {
  const name = input.name.trim();
  if (await em.count(Organization, { name: { $ilike: name } })) {
    throw conflict(`An organization named “${name}” already exists`, { reason: 'DUPLICATE_NAME', fields: [{ field: 'name', message: 'already exists' }] });
  }
  const org = em.create(Organization, { ...input, name, acronym: input.acronym?.trim() || null, country: input.country.toUpperCase(), accredited: input.accredited ?? false });
  audit(em, { actorId, action: 'organization.created', subjectType: 'Organization', subjectId: org.id, data: { name } });
  await em.flush();
  return org;
}

export async function updateOrganization(em: EntityManager, actorId: string, id: string, input: OrganizationInput) {
  const org = await em.findOne(Organization, { id });
  if (!org) throw notFound('Organization', id);
  em.assign(org, { ...input, name: input.name.trim(), acronym: input.acronym?.trim() || null, country: input.country.toUpperCase(), accredited: input.accredited ?? org.accredited });
  audit(em, { actorId, action: 'organization.updated', subjectType: 'Organization', subjectId: org.id, data: { ...input } });
  await em.flush();
  return org;
}
