import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { retryOnCollision } from '../database/collisions.js';
import { EventsService } from '../events/events.service.js';
import type { MemberResponseDto, WorkspaceSummaryDto } from './dto/member-response.dto.js';
import { Workspace } from './workspace.entity.js';
import { WorkspaceMember, type WorkspaceRole } from './workspace-member.entity.js';

export interface Membership {
  workspaceId: number;
  workspaceName: string;
  role: WorkspaceRole;
}

/** A token's user as stored now, with the membership the request acts in (if any). */
export interface SignedInMember {
  id: number;
  email: string;
  name: string;
  isActive: boolean;
  tokenVersion: number;
  membership: Membership | null;
}

/** Owner of workspaces and workspace_members. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    @InjectRepository(WorkspaceMember) private readonly members: Repository<WorkspaceMember>,
    private readonly events: EventsService,
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

  /**
   * The user and `membershipOf` in one query: every authenticated request asks for both,
   * so one round trip instead of two is taken off each of them.
   */
  async signedInMember(userId: number, workspaceId?: number): Promise<SignedInMember | null> {
    const rows = await this.dataSource.query<
      {
        id: number;
        email: string;
        name: string;
        is_active: boolean;
        token_version: number;
        workspace_id: number | null;
        workspace_name: string | null;
        role: WorkspaceRole | null;
      }[]
    >(
      `SELECT u.id, u.email, u.name, u.is_active, u.token_version,
              m.workspace_id, w.name AS workspace_name, m.role
         FROM users u
         LEFT JOIN LATERAL (
           SELECT m.workspace_id, m.role FROM workspace_members m
            WHERE m.user_id = u.id AND ($2::int IS NULL OR m.workspace_id = $2)
            ORDER BY m.created_at, m.workspace_id
            LIMIT 1
         ) m ON true
         LEFT JOIN workspaces w ON w.id = m.workspace_id
        WHERE u.id = $1`,
      [userId, workspaceId ?? null],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      isActive: row.is_active,
      tokenVersion: row.token_version,
      membership:
        row.workspace_id !== null && row.workspace_name !== null && row.role !== null
          ? { workspaceId: row.workspace_id, workspaceName: row.workspace_name, role: row.role }
          : null,
    };
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

  /**
   * Admins and the owner remove members; the owner cannot be removed (transfer first). The
   * conversations assigned to the member are unassigned in the same transaction, after the
   * membership row is gone: an assignment committing meanwhile held that row (see
   * lockMembership), so it is committed by then and unassigned too.
   */
  async removeMember(workspaceId: number, userId: number): Promise<void> {
    const member = await this.requireMember(workspaceId, userId);
    if (member.role === 'owner') {
      throw new ForbiddenException('The owner cannot be removed; transfer ownership first');
    }
    // Unassigning locks several conversations, which a webhook group may be updating: a
    // deadlock between the two aborts this transaction, and it simply runs again.
    await retryOnCollision(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.delete(WorkspaceMember, { workspaceId, userId });
        // An UPDATE answers [rows, count] through TypeORM.
        const [unassigned] = await manager.query<[{ id: number }[], number]>(
          `UPDATE conversations SET assignee_id = NULL
          WHERE workspace_id = $1 AND assignee_id = $2
          RETURNING id`,
          [workspaceId, userId],
        );
        await this.events.publishMany(
          manager,
          workspaceId,
          unassigned
            .sort((a, b) => a.id - b.id)
            .map((c) => ({ type: 'conversation.updated', data: {}, conversationId: c.id })),
        );
      }),
    );
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
