import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const WORKSPACE_ROLES = ['owner', 'admin', 'agent'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** A user's membership of a workspace, with the role that decides what they may do. */
@Entity('workspace_members')
export class WorkspaceMember {
  @PrimaryColumn({ type: 'integer' })
  workspaceId: number;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @Column({ type: 'text' })
  role: WorkspaceRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
