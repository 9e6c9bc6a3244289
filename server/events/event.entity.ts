import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const EVENT_TYPES = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'note.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * A change operators should see live. Written in the same transaction as the change, so
 * an event exists exactly when its data does; its id orders the stream and lets a client
 * that reconnects with Last-Event-ID catch up on what it missed, from any instance.
 */
@Entity('events')
export class WorkspaceEvent {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', type: 'bigint' })
  id: string;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'text' })
  type: EventType;

  @Column({ type: 'jsonb' })
  data: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
