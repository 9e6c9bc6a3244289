import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ListMessagesQueryDto } from './dto/list-messages-query.dto.js';
import { MessageListResponseDto } from './dto/message-list-response.dto.js';
import { toMessageResponse } from './dto/message-response.dto.js';
import { InboxQueryService } from './inbox-query.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('messages')
export class MessagesController {
  constructor(private readonly inbox: InboxQueryService) {}

  @Get()
  @ApiOperation({
    summary: "The workspace's messages, newest first",
    description:
      'SPEC: `?skip&limit&contact_id`; also `conversation_id` and the `before_id` cursor (pass the previous ' +
      "page's `next_before_id`). A contact or conversation of another workspace simply matches nothing.",
  })
  @ApiOkResponse({ type: MessageListResponseDto })
  @ApiErrorResponse(422, 'A parameter is invalid; `errors` names it')
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListMessagesQueryDto,
  ): Promise<MessageListResponseDto> {
    const page = await this.inbox.listMessages(user.workspaceId, query);
    return { messages: page.items.map(toMessageResponse), next_before_id: page.nextBeforeId };
  }
}
