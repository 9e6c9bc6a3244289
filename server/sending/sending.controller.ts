import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { MessageResponseDto } from '../inbox/dto/message-response.dto.js';
import { SendMessageDto } from './dto/send-message.dto.js';
import { SendingService } from './sending.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('conversations')
export class SendingController {
  constructor(private readonly sending: SendingService) {}

  @Post(':id/messages')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a message to the conversation’s contact',
    description:
      'Exactly one of `text`, `template`, `media` (by uploaded `id` or by `link`) or `reaction`, optionally ' +
      '`reply_to_message_id`. The message is stored as `pending` and queued in one transaction, then sent ' +
      'within the number’s throughput, retried on rate limits and outages. It gets its `wa_message_id` when ' +
      'Meta accepts it; Meta’s status webhooks then move it to `sent`, `delivered` and `read`, or `failed` ' +
      'with `error_code`/`error_title` — follow it on GET /api/events (`message.updated`). Free-form messages ' +
      'need the customer to have written within the last 24 hours; templates go any time. The message ' +
      'records its sender (`sent_by_user_id`), and an unassigned conversation is assigned to them.',
  })
  @ApiAcceptedResponse({
    type: MessageResponseDto,
    description: 'Stored and queued (`status: pending`)',
  })
  @ApiErrorResponse(403, 'The sender was removed from the workspace since signing in')
  @ApiErrorResponse(404, 'No such conversation in your workspace')
  @ApiErrorResponse(
    422,
    'Invalid input (`errors` names each field), or `code: window_closed`: the last customer message is older ' +
      'than 24 hours (or there is none), so only a template can be sent',
    "The customer's last message is more than 24 hours old, so WhatsApp only allows a template now",
  )
  @ApiErrorResponse(
    503,
    '`whatsapp_not_configured`: the workspace has no WhatsApp number (the message names the missing variable)',
    'No WhatsApp number is connected to this workspace (connect one in Settings → WhatsApp)',
  )
  send(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: SendMessageDto,
  ): Promise<MessageResponseDto> {
    return this.sending.send(user, params.id, dto);
  }
}
