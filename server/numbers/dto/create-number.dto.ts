import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateNumberDto {
  @ApiProperty({
    example: '106540352242922',
    description: "Meta's phone number id (WhatsApp Manager → API Setup)",
  })
  @Transform(trim)
  @Matches(/^\d{1,30}$/, { message: 'phone_number_id must be digits' })
  @IsString()
  phone_number_id: string;

  @ApiProperty({ example: '102290129340398', description: 'WhatsApp Business Account id' })
  @Transform(trim)
  @Matches(/^\d{1,30}$/, { message: 'business_account_id must be digits' })
  @IsString()
  business_account_id: string;

  @ApiProperty({
    example: 'EAAG…',
    description: 'System-user access token; stored encrypted, never returned',
  })
  @Transform(trim)
  @MaxLength(1000)
  @IsNotEmpty({ message: 'access_token must not be empty' })
  @IsString()
  access_token: string;

  @ApiProperty({
    example: '5f2b8c1e9d0a4b7c…',
    description: "The Meta app's secret (signs webhooks); stored encrypted, never returned",
  })
  @Transform(trim)
  @MaxLength(200)
  @IsNotEmpty({ message: 'app_secret must not be empty' })
  @IsString()
  app_secret: string;

  @ApiProperty({
    example: 'my-verify-token',
    description:
      'Token Meta presents when subscribing the webhook; stored encrypted, never returned',
  })
  @Transform(trim)
  @MaxLength(200)
  @IsNotEmpty({ message: 'verify_token must not be empty' })
  @IsString()
  verify_token: string;

  @ApiProperty({
    required: false,
    example: '+1 555 078 3881',
    description: 'Shown in the inbox; filled from webhooks when omitted',
  })
  @Transform(trim)
  @IsOptional()
  @MaxLength(40)
  @IsString()
  display_phone_number?: string;
}

/** Rotating credentials: every field optional; the phone number id itself never changes. */
export class UpdateNumberDto extends PartialType(
  OmitType(CreateNumberDto, ['phone_number_id'] as const),
) {}
