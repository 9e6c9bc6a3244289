import { SetMetadata } from '@nestjs/common';
import type { WorkspaceRole } from '../workspaces/workspace-member.entity.js';

export const ROLES = 'roles';

/** Only members with one of these roles in the request's workspace may call the route. */
export const Roles = (...roles: WorkspaceRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);
