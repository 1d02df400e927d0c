import { DomainError, ErrorCode, forbidden } from '../errors.js';
import { Role, type User } from '../users/user.entity.js';
import { effectiveRoles } from './roles.js';

/** The signed-in person making a request, with the roles in force for this request. */
export class Viewer {
  readonly roles: Set<Role>;
  constructor(
    readonly user: User,
    readonly sessionTokenHash: string,
  ) {
    this.roles = effectiveRoles(user.roles);
  }
  get id(): string {
    return this.user.id;
  }
  get organizationId(): string | null {
    return this.user.organization?.id ?? null;
  }
  has(role: Role): boolean {
    return this.roles.has(role);
  }
  get isFacilitator(): boolean {
    return this.roles.has(Role.FACILITATOR);
  }
  /** Throws FORBIDDEN unless the viewer holds `role`. */
  require(role: Role, message?: string): void {
    if (!this.has(role)) throw forbidden(message ?? `This needs the ${role} role`, 'ROLE_REQUIRED');
  }
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first', { reason: 'SIGN_IN_REQUIRED' });
  return viewer;
}
