import type { NonEmptyArray } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver.js';
import { OrganizationResolver } from '../organizations/organization.resolver.js';
import { UserResolver } from '../users/user.resolver.js';

/** Every resolver class in the API; a feature adds its own here. */
export const resolvers: NonEmptyArray<Function> = [AuthResolver, UserResolver, OrganizationResolver];
