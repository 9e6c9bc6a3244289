import { describe, expect, it } from '@jest/globals';
import { ForbiddenException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { WorkspaceRole } from '../workspaces/workspace-member.entity.js';
import { RolesGuard } from './roles.guard.js';

const contextWith = (
  role: WorkspaceRole | null,
  required?: WorkspaceRole[],
): [RolesGuard, ExecutionContext] => {
  const reflector = { getAllAndOverride: () => required } as unknown as Reflector;
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => ({ user: role ? { role } : undefined }) }),
  } as unknown as ExecutionContext;
  return [new RolesGuard(reflector), context];
};

describe(RolesGuard.name, () => {
  it('lets everyone through routes without @Roles', () => {
    const [sut, ctx] = contextWith('agent');
    expect(sut.canActivate(ctx)).toBe(true);
  });

  it('lets listed roles through', () => {
    const [sut, ctx] = contextWith('admin', ['owner', 'admin']);
    expect(sut.canActivate(ctx)).toBe(true);
  });

  it('answers 403 naming the roles needed', () => {
    const [sut, ctx] = contextWith('agent', ['owner', 'admin']);
    expect(() => sut.canActivate(ctx)).toThrow(ForbiddenException);
    expect(() => sut.canActivate(ctx)).toThrow(
      'This action needs the owner or admin role in this workspace (you are agent)',
    );
  });
});
