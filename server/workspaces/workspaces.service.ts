import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { MemberResponseDto, WorkspaceSummaryDto } from './dto/member-response.dto.js';
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
    @InjectDataSource() private readonly dataSource: DataSource,
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

  /** Every workspace the user belongs to, oldest membership first (the default one). */
  async listMine(userId: number): Promise<WorkspaceSummaryDto[]> {
    return this.members
      .createQueryBuilder('m')
      .innerJoin(Workspace, 'w', 'w.id = m.workspace_id')
      .select(['w.id AS id', 'w.name AS name', 'm.role AS role'])
      .where('m.user_id = :userId', { userId })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.workspace_id', 'ASC')
      .getRawMany<WorkspaceSummaryDto>();
  }

  async listMembers(workspaceId: number): Promise<MemberResponseDto[]> {
    const rows = await this.dataSource.query<
      { user_id: number; email: string; name: string; role: string; joined_at: Date }[]
    >(
      `SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at
         FROM workspace_members m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = $1
        ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, m.created_at, m.user_id`,
      [workspaceId],
    );
    return rows.map((r) => ({ ...r, joined_at: r.joined_at.toISOString() }));
  }

  /** Admins and the owner remove members; the owner cannot be removed (transfer first). */
  async removeMember(workspaceId: number, userId: number): Promise<void> {
    const member = await this.requireMember(workspaceId, userId);
    if (member.role === 'owner') {
      throw new ForbiddenException('The owner cannot be removed; transfer ownership first');
    }
    await this.members.delete({ workspaceId, userId });
  }

  async changeRole(
    workspaceId: number,
    userId: number,
    role: 'admin' | 'agent',
  ): Promise<MemberResponseDto> {
    const member = await this.requireMember(workspaceId, userId);
    if (member.role === 'owner') {
      throw new ForbiddenException("The owner's role changes only by transferring ownership");
    }
    await this.members.update({ workspaceId, userId }, { role });
    const updated = (await this.listMembers(workspaceId)).find((m) => m.user_id === userId);
    if (!updated) throw new NotFoundException('Member not found');
    return updated;
  }

  /**
   * Hands the workspace to another member; the previous owner stays on as admin. The
   * demotion runs first so the one-owner unique index holds at every statement.
   */
  async transferOwnership(workspaceId: number, ownerId: number, toUserId: number): Promise<void> {
    if (ownerId === toUserId) return;
    await this.dataSource.transaction(async (manager) => {
      const target = await manager.findOneBy(WorkspaceMember, { workspaceId, userId: toUserId });
      if (!target) throw new NotFoundException('Member not found');
      await manager.update(
        WorkspaceMember,
        { workspaceId, userId: ownerId, role: 'owner' },
        { role: 'admin' },
      );
      await manager.update(WorkspaceMember, { workspaceId, userId: toUserId }, { role: 'owner' });
    });
  }

  private async requireMember(workspaceId: number, userId: number): Promise<WorkspaceMember> {
    const member = await this.members.findOneBy({ workspaceId, userId });
    if (!member) throw new NotFoundException('Member not found');
    return member;
  }
}
