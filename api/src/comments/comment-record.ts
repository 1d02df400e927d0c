import { Comment, type CommentAnchor, type CommentTargetKind, type CommentType } from './comment.entity.js';
import { graphqlRoot } from '../schema/graphql-root.js';
import { rowDate } from '../db/row-date.js';
import type { OrganizationKind } from '../organizations/organization.entity.js';

/**
 * What the `Comment` type resolves from: the entity, or the same columns read as a plain row. A
 * page of comments with their threads is a hundred or more of them; hydrating each as a tracked
 * entity cost more than the queries that read them.
 */
export type CommentRecord = Omit<Comment, 'round' | 'indicatorVersion' | 'indicator' | 'section'> & {
  round: { id: string };
  indicatorVersion?: { id: string } | null;
  indicator?: { id: string } | null;
  section?: { id: string } | null;
};

/** A `comment` row as PostgreSQL returns it (`select c.*`). */
export interface CommentRow {
  id: string;
  round_id: string;
  parent_id: string | null;
  thread_id: string;
  target_kind: CommentTargetKind;
  indicator_version_id: string | null;
  indicator_id: string | null;
  section_id: string | null;
  type: CommentType | null;
  body: string;
  body_html: string;
  proposed_change: string | null;
  anchor: CommentAnchor | null;
  author_id: string;
  author_name: string;
  author_organization_id: string | null;
  author_organization_name: string | null;
  author_organization_kind: OrganizationKind | null;
  author_country: string | null;
  official: boolean;
  withdrawn_at: Date | string | null;
  edited_at: Date | string | null;
  disposition_status: string;
  created_at: Date | string;
}

const ref = (id: string | null) => (id ? { id } : null);

export function commentRecord(r: CommentRow): CommentRecord {
  return graphqlRoot(Comment, {
    id: r.id,
    round: { id: r.round_id },
    parentId: r.parent_id,
    threadId: r.thread_id,
    targetKind: r.target_kind,
    indicatorVersion: ref(r.indicator_version_id),
    indicator: ref(r.indicator_id),
    section: ref(r.section_id),
    type: r.type,
    body: r.body,
    bodyHtml: r.body_html,
    proposedChange: r.proposed_change,
    anchor: r.anchor,
    authorId: r.author_id,
    authorName: r.author_name,
    authorOrganizationId: r.author_organization_id,
    authorOrganizationName: r.author_organization_name,
    authorOrganizationKind: r.author_organization_kind,
    authorCountry: r.author_country,
    official: r.official,
    withdrawnAt: rowDate(r.withdrawn_at),
    editedAt: rowDate(r.edited_at),
    dispositionStatus: r.disposition_status,
    createdAt: rowDate(r.created_at),
  });
}
