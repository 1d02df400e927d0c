import type { Role, ViewerQuery } from './graphql/generated.js';

export type Viewer = NonNullable<ViewerQuery['me']>;

// The API's role implications: ADMIN ⊃ FACILITATOR ⊃ STAKEHOLDER, MEMBER ⊃ STAKEHOLDER.
const implied: Record<Role, Role[]> = {
  ADMIN: ['ADMIN', 'FACILITATOR', 'STAKEHOLDER'],
  FACILITATOR: ['FACILITATOR', 'STAKEHOLDER'],
  MEMBER: ['MEMBER', 'STAKEHOLDER'],
  STAKEHOLDER: ['STAKEHOLDER'],
};

export function hasRole(viewer: Viewer | null | undefined, role: Role): boolean {
  return !!viewer?.roles.some((r) => implied[r].includes(role));
}

/** The role to show beside the person's name: the broadest one they hold. */
export function mainRole(viewer: Viewer): Role {
  return (['ADMIN', 'FACILITATOR', 'MEMBER', 'STAKEHOLDER'] as const).find((r) => viewer.roles.includes(r)) ?? 'STAKEHOLDER';
}
