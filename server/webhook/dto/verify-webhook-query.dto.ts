import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Meta's subscription handshake (GET /api/webhook?hub.mode=subscribe&…). */
export class VerifyWebhookQueryDto {
  @ApiPropertyOptional({
    name: 'hub.mode',
    description: 'Always "subscribe"',
    example: 'subscribe',
  })
  @IsOptional()
  @IsString()
  'hub.mode'?: string;

  @ApiPropertyOptional({
    name: 'hub.verify_token',
    description: 'The verify token entered in the Meta app dashboard; must equal WA_VERIFY_TOKEN',
    example: 'my_verify_token',
  })
  @IsOptional()
  @IsString()
  'hub.verify_token'?: string;

  @ApiPropertyOptional({
    name: 'hub.challenge',
    description: 'A value to echo back as the plain-text body',
    example: '1158201444',
  })
  @IsOptional()
  @IsString()
  'hub.challenge'?: string;
}
