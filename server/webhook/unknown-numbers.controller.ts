import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';
import { UnknownNumbersService } from './unknown-numbers.service.js';

class UnknownNumberDto {
  @ApiProperty({ example: '109999999999999', description: "Meta's metadata.phone_number_id" })
  phone_number_id: string;

  @ApiProperty({ example: '15550001111', nullable: true, type: String })
  display_phone_number: string | null;

  @ApiProperty({ example: 3, description: 'Webhook deliveries kept for it in the last 7 days' })
  events: number;

  @ApiProperty({ example: '2026-11-24T10:30:00.000Z', format: 'date-time' })
  last_received_at: string;
}

class UnknownNumbersResponseDto {
  @ApiProperty({ type: [UnknownNumberDto] })
  unknown_numbers: UnknownNumberDto[];
}

@ApiTags('webhook')
@ApiBearerAuth()
@Controller('webhook-events')
export class UnknownNumbersController {
  constructor(private readonly unknownNumbers: UnknownNumbersService) {}

  @Get('unknown-numbers')
  @ApiOperation({
    summary: 'Phone numbers Meta sent webhooks for that no workspace owns (last 7 days)',
    description:
      'For owners and admins of the deployment’s first workspace (it owns the WA_* number); ' +
      'an empty list for everyone else. The events themselves are kept and can be replayed.',
  })
  @ApiOkResponse({ type: UnknownNumbersResponseDto })
  @ApiErrorResponse(401, 'Missing, invalid or expired token')
  async list(@CurrentUser() user: AuthUser): Promise<UnknownNumbersResponseDto> {
    return { unknown_numbers: await this.unknownNumbers.recent(user) };
  }
}
