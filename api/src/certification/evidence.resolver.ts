import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { UPLOAD_TYPES } from '../storage/upload-type.js';
import { Answer, Assessment, AssessmentArea, EvidenceRequest } from './assessment.entity.js';
import { schemeIndicatorById } from './certification.loaders.js';
import { groupedBy } from '../db/entity-loader.js';
import { EvidenceFile } from './evidence.entity.js';
import { evidenceDownloadPath, removeEvidenceFile } from './evidence.service.js';
import { SchemeIndicator } from './scheme.entity.js';
import { canRead, partyOf } from './assessment-access.js';
import { certificatePath } from './certificate.routes.js';
import { Seal } from './seal.entity.js';
import type { SealRecord } from './seal.service.js';

const evidenceFilesOfAssessment = groupedBy(EvidenceFile, 'assessment', { uploadedAt: 'asc', id: 'asc' });

@ObjectType({ description: 'What an evidence upload may be.' })
export class EvidenceUploadLimits {
  @Field(() => Int, { description: 'The largest file taken, in bytes.' }) maxBytes!: number;
  @Field(() => [String], { description: 'The types taken (decided from the bytes): PDF, XLSX, PNG, JPEG.' }) contentTypes!: string[];
  @Field(() => [String], { description: 'The file name endings that go with them, for the file picker’s `accept`.' }) extensions!: string[];
  @Field(() => String, { description: 'Where the web’s form action posts the bytes (`POST`, API side; see the README).' }) uploadPath!: string;
}

@Resolver(() => EvidenceFile)
export class EvidenceFileResolver {
  @Authorized()
  @Query(() => EvidenceUploadLimits, { description: 'The size and types an evidence upload may have, and where it goes.' })
  certificationEvidenceLimits(@Ctx() ctx: RequestContext): EvidenceUploadLimits {
    return {
      maxBytes: ctx.app.config.EVIDENCE_MAX_BYTES,
      contentTypes: Object.values(UPLOAD_TYPES).map((t) => t.contentType),
      extensions: Object.values(UPLOAD_TYPES).flatMap((t) => t.extensions.map((e) => `.${e}`)),
      uploadPath: '/certification/evidence',
    };
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Removes an evidence file (the institution’s people only) while the assessment is in progress; CONFLICT `EVIDENCE_FROZEN` after submission.' })
  removeEvidenceFile(@Arg('id', () => ID, { description: 'The file.' }) id: string, @Ctx() ctx: RequestContext) {
    return removeEvidenceFile(ctx.em, requireViewer(ctx.viewer), id);
  }

  @FieldResolver(() => String, { description: 'Where a signed-in browser downloads it (an attachment; a read from outside the institution is audit-logged).' })
  downloadPath(@Root() file: EvidenceFile) {
    return evidenceDownloadPath(file.id);
  }

  @FieldResolver(() => SchemeIndicator, { description: 'The indicator it backs.' })
  async schemeIndicator(@Root() file: EvidenceFile, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeIndicatorById).load(file.schemeIndicator.id))!;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The evidence request it answers, if any.' })
  evidenceRequestId(@Root() file: EvidenceFile) {
    return file.evidenceRequest?.id ?? null;
  }
}

/** Evidence files reached through an assessment the viewer may read: the lists carry no bytes, so reading them is not an access to log. */
@Resolver(() => Assessment)
export class AssessmentEvidenceResolver {
  @FieldResolver(() => [EvidenceFile], { description: 'Every evidence file of the assessment, oldest first.' })
  evidenceFiles(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(evidenceFilesOfAssessment).load(assessment.id);
  }
}

@Resolver(() => Answer)
export class AnswerEvidenceResolver {
  @FieldResolver(() => [EvidenceFile], { description: 'The evidence files backing the answer (those given with evidence requests included), oldest first.' })
  async evidenceFiles(@Root() answer: Answer, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(evidenceFilesOfAssessment).load(answer.assessment.id)).filter((f) => f.schemeIndicator.id === answer.schemeIndicator.id);
  }
}

@Resolver(() => EvidenceRequest)
export class EvidenceRequestFilesResolver {
  @FieldResolver(() => [EvidenceFile], { description: 'The files uploaded in answer to it.' })
  async files(@Root() request: EvidenceRequest, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(evidenceFilesOfAssessment).load(request.assessment.id)).filter((f) => f.evidenceRequest?.id === request.id);
  }
}

/** A seal's certificate carries its code: offered only to those who may read the assessment behind it, as the code is. */
@Resolver(() => Seal)
export class SealCertificateResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Where a signed-in browser downloads the certificate PDF (add `?language=`); null unless the viewer may read the assessment behind it.' })
  async certificatePath(@Root() seal: SealRecord, @Ctx() ctx: RequestContext) {
    const area = await ctx.em.findOneOrFail(AssessmentArea, { id: seal.assessmentArea.id }, { populate: ['assessment'] });
    return canRead(await partyOf(ctx.em, ctx.viewer, area.assessment.getEntity())) ? certificatePath(seal.id) : null;
  }
}

export const evidenceResolvers = [EvidenceFileResolver, AssessmentEvidenceResolver, AnswerEvidenceResolver, EvidenceRequestFilesResolver, SealCertificateResolver] as const;
