import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Invitation } from '../auth/invitation.entity.js';
import { Session } from '../auth/session.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity the ORM knows; a feature adds its own here. */
export const entities = [Organization, User, Session, Invitation, AuditEntry];
