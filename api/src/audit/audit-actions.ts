/**
 * Every action the audit log records, one name each: `audit()` takes only these, so a new action
 * is added here (and named in the web's audit catalogues, which a test checks against this list).
 */
export const AUDIT_ACTIONS = [
  'account.email_confirmed', 'account.password_changed', 'account.password_reset', 'account.registered', 'account.updated',
  'audit_log.downloaded',
  'assessment.decided', 'assessment.evidence_file_added', 'assessment.evidence_file_read', 'assessment.evidence_file_removed', 'assessment.evidence_provided', 'assessment.evidence_requested', 'assessment.indicator_flagged', 'assessment.judgment_reviewed', 'assessment.opened', 'assessment.questionnaire_downloaded', 'assessment.questionnaire_imported', 'assessment.reviewer_assigned', 'assessment.submitted', 'assessment.visit_recorded',
  'ballot.closed', 'ballot.created', 'ballot.deleted', 'ballot.opened',
  'comment.added', 'comment.edited', 'comment.entered_on_behalf', 'comment.replied', 'comment.withdrawn',
  'disposition.changed', 'disposition.set',
  'export.downloaded',
  'framework.created', 'framework.status_changed', 'framework.updated',
  'indicator.created', 'indicator.draft_saved', 'indicator.moved', 'indicator.retired', 'indicator.version_published',
  'invitation.accepted', 'invitation.created',
  'meeting.action_item_added', 'meeting.action_item_marked', 'meeting.agenda_changed', 'meeting.attendance_recorded', 'meeting.decision_recorded', 'meeting.item_changed', 'meeting.material_added', 'meeting.minutes_approved', 'meeting.minutes_drafted', 'meeting.minutes_signed_off', 'meeting.quick_ballot_opened', 'meeting.room_point_recorded', 'meeting.scheduled',
  'near_duplicates.confirmed', 'near_duplicates.disposed', 'near_duplicates.regrouped', 'near_duplicates.removed',
  'organization.created', 'organization.updated',
  'organization_request.approved', 'organization_request.refused',
  'rating.changed', 'rating.set',
  'release.created', 'release.downloaded', 'release.marked_final',
  'revision.proposed',
  'scheme.created',
  'seal.awarded', 'seal.reinstated', 'seal.suspended', 'seal.withdrawn',
  'round.closed', 'round.created', 'round.draft_updated', 'round.extended', 'round.imported', 'round.opened', 'round.publication_changed', 'round.resolved', 'round.scheduled', 'round.summary_published',
  'section.created', 'section.updated',
  'theme.created', 'theme.deleted', 'theme.tagged', 'theme.untagged', 'theme.updated',
  'user.reinstated', 'user.deleted', 'user.roles_changed', 'user.signed_in', 'user.signed_out_everywhere', 'user.suspended',
  'vote.cast',
  'work_plan.activity_added', 'work_plan.activity_linked', 'work_plan.activity_unlinked', 'work_plan.activity_updated', 'work_plan.created', 'work_plan.objective_added', 'work_plan.objective_updated',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
