import { createHash, randomBytes } from 'node:crypto';
import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import type { CreateInviteDto } from './dto/create-invite.dto.js';
import {
  inviteStatus,
  toInviteResponse,
  type CreatedInviteResponseDto,
  type InvitePreviewDto,
  type InviteResponseDto,
} from './dto/invite-response.dto.js';
import { Workspace } from './workspace.entity.js';
import { WorkspaceInvite } from './workspace-invite.entity.js';
import { WorkspaceMember } from './workspace-member.entity.js';

const DEFAULT_EXPIRY_HOURS = 72;

export const hashInviteToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

export interface JoinedWorkspace {
  workspaceId: number;
  role: 'admin' | 'agent';
}

/** Owner of workspace_invites: links that add members to a workspace. */
@Injectable()
export class InvitesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WorkspaceInvite) private readonly invites: Repository<WorkspaceInvite>,
  ) {}

  async create(
    workspaceId: number,
    createdBy: number,
    dto: CreateInviteDto,
  ): Promise<CreatedInviteResponseDto> {
    const token = randomBytes(32).toString('base64url');
    const invite = await this.invites.save(
      this.invites.create({
        workspaceId,
        createdBy,
        tokenHash: hashInviteToken(token),
        role: dto.role ?? 'agent',
        maxUses: dto.max_uses ?? 1,
        expiresAt: new Date(
          Date.now() + (dto.expires_in_hours ?? DEFAULT_EXPIRY_HOURS) * 3_600_000,
        ),
      }),
    );
    return { ...toInviteResponse(invite), token, path: `/invite/${token}` };
  }

  async list(workspaceId: number): Promise<InviteResponseDto[]> {
    const rows = await this.invites.find({
      where: { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 100,
    });
    return rows.map(toInviteResponse);
  }

  /** Revoking twice is fine; another workspace's invite is 404. */
  async revoke(workspaceId: number, id: number): Promise<void> {
    const invite = await this.invites.findOneBy({ id, workspaceId });
    if (!invite) throw new NotFoundException('Invite not found');
    if (!invite.revokedAt) await this.invites.update({ id }, { revokedAt: new Date() });
  }

  /**
   * What an invite link joins, answered with the statuses `join` would give: 404 unknown
   * or revoked, 410 expired or used up. Consumes nothing.
   */
  async preview(token: string): Promise<InvitePreviewDto> {
    const invite = await this.invites.findOneBy({ tokenHash: hashInviteToken(token) });
    if (!invite || invite.revokedAt) throw new NotFoundException('Invite not found or revoked');
    const status = inviteStatus(invite);
    if (status === 'expired') throw new GoneException('This invite has expired');
    if (status === 'used') throw new GoneException('This invite has already been used');
    const workspace = await this.dataSource.manager.findOneByOrFail(Workspace, {
      id: invite.workspaceId,
    });
    return {
      workspace_id: workspace.id,
      workspace_name: workspace.name,
      role: invite.role,
      expires_at: invite.expiresAt.toISOString(),
    };
  }

  /** Signed-in user accepts: joins the invite's workspace. */
  accept(userId: number, token: string): Promise<JoinedWorkspace> {
    return this.dataSource.transaction((manager) => this.join(manager, userId, token));
  }

  /**
   * Uses one seat of the invite and adds the user, inside the caller's transaction. The
   * conditional UPDATE is the reuse limit: concurrent accepts cannot exceed max_uses.
   * 404 unknown or revoked, 410 expired or used up, 409 already a member.
   */
  async join(manager: EntityManager, userId: number, token: string): Promise<JoinedWorkspace> {
    const tokenHash = hashInviteToken(token);
    const invite = await manager.findOneBy(WorkspaceInvite, { tokenHash });
    if (!invite || invite.revokedAt) throw new NotFoundException('Invite not found or revoked');
    const already = await manager.findOneBy(WorkspaceMember, {
      workspaceId: invite.workspaceId,
      userId,
    });
    if (already) throw new ConflictException('You already belong to this workspace');
    const rows = await manager.query<{ workspace_id: number; role: 'admin' | 'agent' }[]>(
      // Wrapped in a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
      `WITH used AS (
         UPDATE workspace_invites SET uses = uses + 1
          WHERE id = $1 AND revoked_at IS NULL AND expires_at > now() AND uses < max_uses
          RETURNING workspace_id, role)
       SELECT workspace_id, role FROM used`,
      [invite.id],
    );
    if (rows.length === 0) {
      throw new GoneException(
        invite.expiresAt.getTime() <= Date.now()
          ? 'This invite has expired'
          : 'This invite has already been used',
      );
    }
    await manager.insert(WorkspaceMember, {
      workspaceId: rows[0].workspace_id,
      userId,
      role: rows[0].role,
    });
    return { workspaceId: rows[0].workspace_id, role: rows[0].role };
  }
}
