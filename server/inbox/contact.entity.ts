import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A customer who writes to a workspace's WhatsApp number, keyed by Meta's `wa_id`
 * (unique within the workspace; the BSUID when Meta withholds the number). `name` is what
 * operators call them; `profile_name` is the WhatsApp profile name Meta sends with each
 * message.
 */
@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'text' })
  waId: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  profileName: string | null;

  /**
   * Meta's business-scoped user id (BSUID), unique within the workspace. A customer who
   * hides their number behind a username arrives with this id only; then `waId` holds the
   * BSUID too until Meta shares the number.
   */
  @Column({ type: 'text', nullable: true })
  userId: string | null;

  /** WhatsApp username, when the customer has one. */
  @Column({ type: 'text', nullable: true })
  username: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
