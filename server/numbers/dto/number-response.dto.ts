import { ApiProperty } from '@nestjs/swagger';
import { maskSecret } from '../secret-cipher.js';
import type { WhatsappNumber } from '../whatsapp-number.entity.js';

/** A connected number. Secrets appear only masked ("••••abcd"). */
export class NumberResponseDto {
  @ApiProperty({ example: 2 })
  id: number;

  @ApiProperty({ example: '106540352242922' })
  phone_number_id: string;

  @ApiProperty({ example: '102290129340398', nullable: true, type: String })
  business_account_id: string | null;

  @ApiProperty({ example: '15550783881', nullable: true, type: String })
  display_phone_number: string | null;

  @ApiProperty({ example: '••••x9Zq', nullable: true, type: String })
  access_token: string | null;

  @ApiProperty({ example: '••••4b7c', nullable: true, type: String })
  app_secret: string | null;

  @ApiProperty({ example: '••••oken', nullable: true, type: String })
  verify_token: string | null;

  @ApiProperty({
    example: false,
    description: 'Configured through the WA_* variables (read-only here)',
  })
  from_environment: boolean;

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  created_at: string;
}

export function toNumberResponse(n: WhatsappNumber): NumberResponseDto {
  return {
    id: n.id,
    phone_number_id: n.phoneNumberId,
    business_account_id: n.businessAccountId,
    display_phone_number: n.displayPhoneNumber,
    access_token: maskSecret(n.accessTokenLast4),
    app_secret: maskSecret(n.appSecretLast4),
    verify_token: maskSecret(n.verifyTokenLast4),
    from_environment: n.fromEnvironment,
    created_at: n.createdAt.toISOString(),
  };
}

export class NumberTestResponseDto {
  @ApiProperty({ example: true })
  ok: boolean;

  @ApiProperty({ example: '15550783881', nullable: true, type: String })
  display_phone_number: string | null;

  @ApiProperty({ example: 'Test Business', nullable: true, type: String })
  verified_name: string | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: "Meta's error when ok is false",
  })
  error: string | null;
}
