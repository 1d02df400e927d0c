import type { Role, ViewerQuery } from './graphql/generated.js';

export type Viewer = NonNullable<ViewerQuery['me']>;

// The API's role implications (api/src/auth/roles.ts): ADMIN ⊃ FACILITATOR ⊃ STAKEHOLDER, ADMIN ⊃ CERTIFICATION_COMMITTEE ⊃ STAKEHOLDER, MEMBER ⊃ STAKEHOLDER.
const implied: Record<Role, Role[]> = {
  ADMIN: ['ADMIN', 'FACILITATOR', 'CERTIFICATION_COMMITTEE', 'STAKEHOLDER'],
  CERTIFICATION_COMMITTEE: ['CERTIFICATION_COMMITTEE', 'STAKEHOLDER'],
  FACILITATOR: ['FACILITATOR', 'STAKEHOLDER'],
  MEMBER: ['MEMBER', 'STAKEHOLDER'],
  STAKEHOLDER: ['STAKEHOLDER'],
};

export function hasRole(viewer: Viewer | null | undefined, role: Role): boolean {
  return !!viewer?.roles.some((r) => implied[r].includes(role));
}

/** The role to show beside the person's name: the broadest one they hold. */
export function mainRole(viewer: Viewer): Role {
  return (['ADMIN', 'FACILITATOR', 'CERTIFICATION_COMMITTEE', 'MEMBER', 'STAKEHOLDER'] as const).find((r) => viewer.roles.includes(r)) ?? 'STAKEHOLDER';
}
