import { Role } from '../users/user.entity.js';

/**
 * What each role implies: an admin may do what a facilitator does; facilitators and members
 * may do what a stakeholder does. Voting asks for MEMBER itself, so a facilitator votes only
 * when also a member. An admin may also act as the certification committee (they can give
 * themselves the role anyway); others sit on it only when given it.
 */
const implied: Record<Role, Role[]> = {
  [Role.ADMIN]: [Role.ADMIN, Role.FACILITATOR, Role.CERTIFICATION_COMMITTEE, Role.STAKEHOLDER],
  [Role.FACILITATOR]: [Role.FACILITATOR, Role.STAKEHOLDER],
  [Role.MEMBER]: [Role.MEMBER, Role.STAKEHOLDER],
  [Role.STAKEHOLDER]: [Role.STAKEHOLDER],
  [Role.CERTIFICATION_COMMITTEE]: [Role.CERTIFICATION_COMMITTEE, Role.STAKEHOLDER],
};

export function effectiveRoles(roles: readonly Role[]): Set<Role> {
  return new Set(roles.flatMap((r) => implied[r]));
}

/** True when the roles grant at least one of `required` (none required: any signed-in person). */
export function grants(roles: readonly Role[], required: readonly Role[]): boolean {
  if (required.length === 0) return true;
  const have = effectiveRoles(roles);
  return required.some((r) => have.has(r));
}
