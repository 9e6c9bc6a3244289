import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Workspace } from './workspace.entity.js';
import { WorkspaceMember, type WorkspaceRole } from './workspace-member.entity.js';

export interface Membership {
  workspaceId: number;
  workspaceName: string;
  role: WorkspaceRole;
}

/** Owner of workspaces and workspace_members. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    @InjectRepository(WorkspaceMember) private readonly members: Repository<WorkspaceMember>,
  ) {}

  /** Creates a workspace owned by `userId`, inside the caller's transaction. */
  async createOwned(manager: EntityManager, userId: number, name: string): Promise<Workspace> {
    const workspace = await manager.save(manager.create(Workspace, { name }));
    await manager.insert(WorkspaceMember, { workspaceId: workspace.id, userId, role: 'owner' });
    return workspace;
  }

  /**
   * The workspace a request acts in: the one asked for when the user belongs to it,
   * otherwise the user's oldest membership.
   */
  async membershipOf(userId: number, workspaceId?: number): Promise<Membership | null> {
    const qb = this.members
      .createQueryBuilder('m')
      .innerJoin(Workspace, 'w', 'w.id = m.workspace_id')
      .select(['m.workspace_id AS "workspaceId"', 'w.name AS "workspaceName"', 'm.role AS role'])
      .where('m.user_id = :userId', { userId })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.workspace_id', 'ASC')
      .limit(1);
    if (workspaceId !== undefined) qb.andWhere('m.workspace_id = :workspaceId', { workspaceId });
    return (await qb.getRawOne<Membership>()) ?? null;
  }

  /** The first workspace ever created: it owns the WA_* bootstrap number. */
  async firstWorkspaceId(): Promise<number | null> {
    const first = await this.workspaces.find({ order: { id: 'ASC' }, take: 1 });
    return first[0]?.id ?? null;
  }
}
