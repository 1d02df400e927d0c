import { BallotQuestion } from '../ballots/ballot-question.entity.js';
import { entityById, groupedBy } from '../db/entity-loader.js';
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

export const areasOfScheme = groupedBy(SchemeArea, 'scheme', { position: 'asc' });
export const indicatorsOfSchemeArea = groupedBy(SchemeIndicator, 'area', { position: 'asc' });
export const areasOfAssessment = groupedBy(AssessmentArea, 'assessment', { schemeArea: { position: 'asc' } });
export const answersOfAssessment = groupedBy(Answer, 'assessment', { schemeIndicator: { area: { position: 'asc' }, position: 'asc' } });
export const reviewsOfAssessment = groupedBy(ReviewJudgment, 'assessment', { schemeIndicator: { area: { position: 'asc' }, position: 'asc' } });
export const evidenceRequestsOfAssessment = groupedBy(EvidenceRequest, 'assessment', { requestedAt: 'asc' });
export const sealOfAssessmentArea = groupedBy(Seal, 'assessmentArea', { id: 'asc' });
/** The committee ballots' questions on each assessed area, newest ballot first. */
export const committeeQuestionsOfArea = groupedBy(BallotQuestion, 'assessmentArea', { ballot: { createdAt: 'desc' } });
