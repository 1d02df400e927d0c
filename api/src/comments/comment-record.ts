import type { Comment } from './comment.entity.js';
import { rowDate } from '../db/row-date.js';
import type { Selectable } from 'kysely';
import type { DB as Tables } from '../db/tables.js';

/**
 * What the `Comment` type resolves from: the entity, or the same columns read as a plain row (never
 * an instance of the entity: `instanceof Comment` means a managed one). A page of comments with
 * their threads is a hundred or more of them; hydrating each as a tracked entity cost more than
 * the queries that read them. Resolvers take it as their root's type, so type-graphql hands it over as it is.
 */
export type CommentRecord = Omit<Comment, 'round' | 'indicatorVersion' | 'indicator' | 'section'> & {
  round: { id: string };
  indicatorVersion?: { id: string } | null;
  indicator?: { id: string } | null;
  section?: { id: string } | null;
};

/** A `comment` row as read on the ORM's connection (timestamps as text). */
export type CommentRow = Selectable<Tables['comment']>;

const ref = (id: string | null) => (id ? { id } : null);

export function commentRecord(r: CommentRow): CommentRecord {
  return {
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
  };
}
