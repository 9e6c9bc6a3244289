import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { WorkspaceRole } from '../workspaces/workspace-member.entity.js';
import type { AuthUser } from './auth-user.js';
import { ROLES } from './roles.decorator.js';

/**
 * Global guard registered after JwtAuthGuard: routes marked @Roles(...) answer 403 to
 * members whose role in the request's workspace is not listed. The role is read from the
 * database on every request (JwtStrategy), so a demotion takes effect at once.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<WorkspaceRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
    if (user && roles.includes(user.role)) return true;
    throw new ForbiddenException(
      `This action needs the ${roles.join(' or ')} role in this workspace (you are ${user?.role ?? 'not a member'})`,
    );
  }
}
