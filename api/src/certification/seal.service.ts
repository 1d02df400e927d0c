import { randomInt } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { conflict, forbidden, notFound, Refusal } from '../errors.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import type { Organization, OrganizationKind } from '../organizations/organization.entity.js';
import type { Assessment, AssessmentArea } from './assessment.entity.js';
import { SealAction, type ChangeSealInput } from './certification.inputs.js';
import { sealDates, sealStatus, today } from './rules.js';
import { Scheme } from './scheme.entity.js';
import { Seal, SealStanding, SealStatus } from './seal.entity.js';

/** Crockford's base 32: no I, L, O or U, so a printed code is read back without confusion. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten random characters (50 bits) as `XXXXX-XXXXX`: short enough to type from a certificate, too many to guess. */
export function verificationCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** A code as typed: case, spaces and dashes ignored, and the letters people confuse with digits read as those. */
export function normalizeCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return plain.length === 10 ? `${plain.slice(0, 5)}-${plain.slice(5)}` : plain;
}

/** Issues the seal of an area the committee awarded, from today by the scheme's validity. */
export async function awardSeal(em: EntityManager, actorId: string | null, assessment: Assessment, area: AssessmentArea): Promise<Seal> {
  const scheme = await em.findOneOrFail(Scheme, { id: assessment.scheme.id });
  const seal = em.create(Seal, { assessmentArea: area, organization: assessment.organization, schemeArea: area.schemeArea, code: verificationCode(), ...sealDates(today(), scheme) });
  audit(em, { actorId, action: 'seal.awarded', subjectType: 'Seal', subjectId: seal.id, scopeId: assessment.organization.id, data: { assessmentAreaId: area.id, issuedOn: seal.issuedOn, validUntil: seal.validUntil } });
  return seal;
}

const ACTIONS = {
  [SealAction.SUSPEND]: { from: [SealStanding.CURRENT], to: SealStanding.SUSPENDED, audit: 'seal.suspended' },
  [SealAction.WITHDRAW]: { from: [SealStanding.CURRENT, SealStanding.SUSPENDED], to: SealStanding.WITHDRAWN, audit: 'seal.withdrawn' },
  [SealAction.REINSTATE]: { from: [SealStanding.SUSPENDED], to: SealStanding.CURRENT, audit: 'seal.reinstated' },
} as const;

/** The committee suspends, withdraws or reinstates a seal, with a reason; an expired seal is left as it is. */
export async function changeSeal(em: EntityManager, viewer: Viewer, input: ChangeSealInput): Promise<Seal> {
  const seal = await em.findOne(Seal, { id: input.sealId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!seal) throw notFound('Seal', input.sealId);
  if (viewer.organizationId === seal.organization.id) throw forbidden('A committee member does not decide on their own institution', Refusal.CONFLICT_OF_INTEREST);
  const action = ACTIONS[input.action];
  if (!(action.from as readonly SealStanding[]).includes(seal.standing) || sealStatus(seal, today()) === SealStatus.EXPIRED) {
    throw conflict(`The seal cannot be ${input.action.toLowerCase()}ed from where it stands`, { reason: Refusal.SEAL_STATUS_UNCHANGED });
  }
  const from = seal.standing;
  const reason = input.reason.trim();
  em.assign(seal, { standing: action.to, standingReason: reason });
  audit(em, { actorId: viewer.id, action: action.audit, subjectType: 'Seal', subjectId: seal.id, scopeId: seal.organization.id, data: { from, to: action.to, reason } });
  await em.flush();
  return seal;
}

/** The seal a code names, or null: what the public verification page shows. */
export function sealByCode(em: EntityManager, code: string): Promise<Seal | null> {
  return em.findOne(Seal, { code: normalizeCode(code) });
}

export interface RegistryFilter {
  area?: string | null;
  country?: string | null;
}

/** A seal as the public reads it: its own columns and the ids of what it belongs to, what the Seal type resolves from. */
export type SealRecord = Pick<Seal, 'id' | 'code' | 'issuedOn' | 'surveillanceOn' | 'validUntil' | 'standing'> & {
  organization: { id: string };
  schemeArea: { id: string };
  assessmentArea: { id: string };
};

/**
 * The public registry, one typed statement: every institution holding a seal, with its seals
 * (withdrawn ones included, to show as withdrawn). Only awarded areas have seals, so institutions
 * under assessment never appear.
 */
export async function registry(em: EntityManager, filter: RegistryFilter): Promise<Array<{ organization: Organization; seals: SealRecord[] }>> {
  let query = reads(em)
    .selectFrom('certification_seal as s')
    .innerJoin('organization as o', 'o.id', 's.organization_id')
    .innerJoin('certification_scheme_area as a', 'a.id', 's.scheme_area_id')
    .select(['s.id', 's.code', 's.issued_on', 's.surveillance_on', 's.valid_until', 's.standing', 's.scheme_area_id', 's.assessment_area_id'])
    .select(['o.id as organization_id', 'o.name', 'o.acronym', 'o.kind', 'o.country', 'o.accredited', 'o.created_at'])
    .orderBy('o.country')
    .orderBy('o.name')
    .orderBy('o.id')
    .orderBy('a.position')
    .orderBy('s.issued_on', 'desc');
  if (filter.area) query = query.where('a.code', '=', filter.area.trim().toUpperCase());
  if (filter.country) query = query.where('o.country', '=', filter.country.trim().toUpperCase());
  const byOrganization = new Map<string, { organization: Organization; seals: SealRecord[] }>();
  for (const row of await query.execute()) {
    const entry: { organization: Organization; seals: SealRecord[] } = byOrganization.get(row.organization_id) ?? {
      organization: { id: row.organization_id, name: row.name, acronym: row.acronym, kind: row.kind as OrganizationKind, country: row.country, accredited: row.accredited, createdAt: rowDate(row.created_at) },
      seals: [],
    };
    entry.seals.push({
      id: row.id,
      code: row.code,
      issuedOn: row.issued_on,
      surveillanceOn: row.surveillance_on,
      validUntil: row.valid_until,
      standing: row.standing as SealStanding,
      organization: { id: row.organization_id },
      schemeArea: { id: row.scheme_area_id },
      assessmentArea: { id: row.assessment_area_id },
    });
    byOrganization.set(row.organization_id, entry);
  }
  return [...byOrganization.values()];
}
