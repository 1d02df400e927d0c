import type { AuthCheckerFn } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { forbidden } from '../errors.js';
import type { Role } from '../users/user.entity.js';
import { grants } from './roles.js';
import { requireViewer } from './viewer.js';

/**
 * The one authorization gate: `@Authorized()` asks for any signed-in person,
 * `@Authorized(Role.X, ...)` for one of those roles (with the implications in roles.ts).
 * Finer rules (my own comment, an eligible voter) live in the services.
 */
export const authChecker: AuthCheckerFn<RequestContext, Role> = ({ context }, required) => {
  const viewer = requireViewer(context.viewer);
  if (!grants([...viewer.roles], required)) {
    throw forbidden(`This needs one of these roles: ${required.join(', ')}`, 'ROLE_REQUIRED');
  }
  return true;
};
