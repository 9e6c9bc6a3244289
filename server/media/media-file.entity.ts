import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The bytes of an inbound message's media, fetched from Meta while it still had them
 * (media ids expire after days, download URLs after minutes). Kept in PostgreSQL because
 * instances are stateless; `sha256` (hex) was checked against Meta's digest.
 */
@Entity('media_files')
export class MediaFile {
  @PrimaryColumn({ type: 'integer' })
  messageId: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'bytea' })
  bytes: Buffer;

  @Column({ type: 'text' })
  mimeType: string;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'integer' })
  fileSize: number;

  @Column({ type: 'text', nullable: true })
  fileName: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
