import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128000000Foundation } from './Migration20261128000000Foundation.js';
import { Migration20261128005000RateLimits } from './Migration20261128005000RateLimits.js';
import { Migration20261128010000Frameworks } from './Migration20261128010000Frameworks.js';
import { Migration20261128020000Consultation } from './Migration20261128020000Consultation.js';
import { Migration20261128030000Ballots } from './Migration20261128030000Ballots.js';
import { Migration20261128040000LiveEvents } from './Migration20261128040000LiveEvents.js';
import { Migration20261128060000Analysis } from './Migration20261128060000Analysis.js';
import { Migration20261128070000NearDuplicateIndex } from './Migration20261128070000NearDuplicateIndex.js';
import { Migration20261128080000IndicatorCommentIndex } from './Migration20261128080000IndicatorCommentIndex.js';
import { Migration20261128090000RoundTreeRevision } from './Migration20261128090000RoundTreeRevision.js';
import { Migration20261128100000CommentFacetIndex } from './Migration20261128100000CommentFacetIndex.js';
import { Migration20261128110000CommentDispositionStatus } from './Migration20261128110000CommentDispositionStatus.js';
import { Migration20261128121900AuditEntrySource } from './Migration20261128121900AuditEntrySource.js';
import { Migration20261128130000InstanceSecret } from './Migration20261128130000InstanceSecret.js';
import { Migration20261128130500FirstAdminInvitation } from './Migration20261128130500FirstAdminInvitation.js';
import { Migration20261204161500RoundDraft } from './Migration20261204161500RoundDraft.js';
import { Migration20261204164500IndicatorsInForce } from './Migration20261204164500IndicatorsInForce.js';
import { Migration20261204170000Releases } from './Migration20261204170000Releases.js';
import { Migration20261204180000FrameworkTreeRevision } from './Migration20261204180000FrameworkTreeRevision.js';
import { Migration20261204210000Certification } from './Migration20261204210000Certification.js';
import { Migration20261205040000IdempotencyKeys } from './Migration20261205040000IdempotencyKeys.js';

/** Applied in this order; a new migration is appended, never edited once on main. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261128000000Foundation', class: Migration20261128000000Foundation },
  { name: 'Migration20261128005000RateLimits', class: Migration20261128005000RateLimits },
  { name: 'Migration20261128010000Frameworks', class: Migration20261128010000Frameworks },
  { name: 'Migration20261128020000Consultation', class: Migration20261128020000Consultation },
  { name: 'Migration20261128030000Ballots', class: Migration20261128030000Ballots },
  { name: 'Migration20261128040000LiveEvents', class: Migration20261128040000LiveEvents },
  { name: 'Migration20261128060000Analysis', class: Migration20261128060000Analysis },
  { name: 'Migration20261128070000NearDuplicateIndex', class: Migration20261128070000NearDuplicateIndex },
  { name: 'Migration20261128080000IndicatorCommentIndex', class: Migration20261128080000IndicatorCommentIndex },
  { name: 'Migration20261128090000RoundTreeRevision', class: Migration20261128090000RoundTreeRevision },
  { name: 'Migration20261128100000CommentFacetIndex', class: Migration20261128100000CommentFacetIndex },
  { name: 'Migration20261128110000CommentDispositionStatus', class: Migration20261128110000CommentDispositionStatus },
  { name: 'Migration20261128121900AuditEntrySource', class: Migration20261128121900AuditEntrySource },
  { name: 'Migration20261128130000InstanceSecret', class: Migration20261128130000InstanceSecret },
  { name: 'Migration20261128130500FirstAdminInvitation', class: Migration20261128130500FirstAdminInvitation },
  { name: 'Migration20261204161500RoundDraft', class: Migration20261204161500RoundDraft },
  { name: 'Migration20261204164500IndicatorsInForce', class: Migration20261204164500IndicatorsInForce },
  { name: 'Migration20261204170000Releases', class: Migration20261204170000Releases },
  { name: 'Migration20261204180000FrameworkTreeRevision', class: Migration20261204180000FrameworkTreeRevision },
  { name: 'Migration20261204210000Certification', class: Migration20261204210000Certification },
  { name: 'Migration20261205040000IdempotencyKeys', class: Migration20261205040000IdempotencyKeys },
];
