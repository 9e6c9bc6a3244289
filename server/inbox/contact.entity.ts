import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A customer who writes to a workspace's WhatsApp number, keyed by Meta's `wa_id`
 * (unique within the workspace). `name` is what operators call them; `profile_name` is
 * the WhatsApp profile name Meta sends with each message.
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
