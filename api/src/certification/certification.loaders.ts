import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import { entityById } from '../db/entity-loader.js';
import { Organization } from '../organizations/organization.entity.js';
import { Release } from '../releases/release.entity.js';
import { Answer, AssessmentArea, EvidenceRequest, ReviewJudgment } from './assessment.entity.js';
import { Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';
import { Seal } from './seal.entity.js';

export const schemeById = entityById(Scheme);
export const schemeAreaById = entityById(SchemeArea);
export const schemeIndicatorById = entityById(SchemeIndicator);
export const releaseById = entityById(Release);
export const organizationById = entityById(Organization);

/** Rows of `entity` whose `key` column is among the keys, grouped per key in key order: one `IN (…)` query per batch. */
export function groupedBy<T extends object>(entity: new (...args: never[]) => T, key: string & keyof T, orderBy: object) {
  return (em: EntityManager) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { [key]: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      const byKey = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of rows) byKey.get((row[key] as unknown as { id: string }).id)?.push(row);
      return ids.map((id) => byKey.get(id)!);
    });
}

export const areasOfScheme = groupedBy(SchemeArea, 'scheme', { position: 'asc' });
export const indicatorsOfSchemeArea = groupedBy(SchemeIndicator, 'area', { position: 'asc' });
export const areasOfAssessment = groupedBy(AssessmentArea, 'assessment', { schemeArea: { position: 'asc' } });
export const answersOfAssessment = groupedBy(Answer, 'assessment', { schemeIndicator: { area: { position: 'asc' }, position: 'asc' } });
export const reviewsOfAssessment = groupedBy(ReviewJudgment, 'assessment', { schemeIndicator: { area: { position: 'asc' }, position: 'asc' } });
export const evidenceRequestsOfAssessment = groupedBy(EvidenceRequest, 'assessment', { requestedAt: 'asc' });
export const sealOfAssessmentArea = groupedBy(Seal, 'assessmentArea', { id: 'asc' });
/** The committee ballots' questions on each assessed area, newest ballot first. */
export const committeeQuestionsOfArea = groupedBy(BallotQuestion, 'assessmentArea', { ballot: { createdAt: 'desc' } });
