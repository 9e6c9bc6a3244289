import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A link that lets people join a workspace. Only the SHA-256 of the token is stored, so
 * the link is shown once, when it is created; it stops working when it expires, when
 * `uses` reaches `maxUses`, or when it is revoked.
 */
@Entity('workspace_invites')
export class WorkspaceInvite {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'text' })
  role: 'admin' | 'agent';

  @Column({ type: 'integer' })
  maxUses: number;

  @Column({ type: 'integer', default: 0 })
  uses: number;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
