import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A WhatsApp Business phone number connected to a workspace (a channel). Meta's
 * `metadata.phone_number_id` on a webhook decides which workspace an event belongs to,
 * so phone_number_id is unique across the whole deployment.
 */
@Entity('whatsapp_numbers')
export class WhatsappNumber {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'text' })
  phoneNumberId: string;

  @Column({ type: 'text', nullable: true })
  businessAccountId: string | null;

  @Column({ type: 'text', nullable: true })
  displayPhoneNumber: string | null;

  /** AES-256-GCM ciphertexts (SecretCipher); null for the WA_* number, which uses env. */
  @Column({ type: 'text', nullable: true })
  accessTokenEncrypted: string | null;

  @Column({ type: 'text', nullable: true })
  appSecretEncrypted: string | null;

  @Column({ type: 'text', nullable: true })
  verifyTokenEncrypted: string | null;

  /** Last four characters of each secret, kept apart so masking needs no decryption. */
  @Column({ type: 'text', nullable: true })
  accessTokenLast4: string | null;

  @Column({ type: 'text', nullable: true })
  appSecretLast4: string | null;

  @Column({ type: 'text', nullable: true })
  verifyTokenLast4: string | null;

  /** True for the number configured through WA_* variables (the first workspace's). */
  @Column({ type: 'boolean', default: false })
  fromEnvironment: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
