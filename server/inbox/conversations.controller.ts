import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationListResponseDto } from './dto/conversation-list-response.dto.js';
import { ConversationMessagesQueryDto } from './dto/conversation-messages-query.dto.js';
import { ConversationResponseDto } from './dto/conversation-response.dto.js';
import { ListConversationsQueryDto } from './dto/list-conversations-query.dto.js';
import { MessageListResponseDto } from './dto/message-list-response.dto.js';
import { toMessageResponse } from './dto/message-response.dto.js';
import { UpdateConversationDto } from './dto/update-conversation.dto.js';
import { InboxQueryService } from './inbox-query.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const Invalid = ApiErrorResponse(422, 'A parameter is invalid; `errors` names it');
const NotFound = ApiErrorResponse(404, 'No such conversation in your workspace');

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly inbox: InboxQueryService,
    private readonly conversations: ConversationsService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Conversations by latest activity (last_message_at desc), with contact, last message and unread count',
    description:
      'SPEC: `?skip&limit`; also `status` (open, closed, all), `assignee` (me, none, a user id), ' +
      '`q` (contact name or number) and the ' +
      '`before_id` cursor: the id of the last conversation of the previous page (`next_before_id`).',
  })
  @ApiOkResponse({ type: ConversationListResponseDto })
  @Invalid
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListConversationsQueryDto,
  ): Promise<ConversationListResponseDto> {
    const page = await this.inbox.listConversations(user.workspaceId, query, user.id);
    return {
      conversations: page.items,
      next_before_id: page.nextBeforeId,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation with its contact, last message and unread count' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @NotFound
  @Invalid
  async get(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
  ): Promise<ConversationResponseDto> {
    return this.inbox.getConversation(user.workspaceId, params.id);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "A conversation's messages, newest first (page back with before_id)" })
  @ApiOkResponse({ type: MessageListResponseDto })
  @NotFound
  @Invalid
  async messages(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Query() query: ConversationMessagesQueryDto,
  ): Promise<MessageListResponseDto> {
    const page = await this.inbox.listConversationMessages(user.workspaceId, params.id, query);
    return { messages: page.items.map(toMessageResponse), next_before_id: page.nextBeforeId };
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Close, reopen, mark read or assign a conversation',
    description:
      '`{"is_active": false}` closes, `{"is_active": true}` reopens, `{"read": true}` marks every message ' +
      'read, `{"assignee_id": 7}` assigns it to that teammate (any role may), `{"assignee_id": null}` ' +
      'unassigns it. Publishes `conversation.updated` on GET /api/events.',
  })
  @ApiOkResponse({ type: ConversationResponseDto })
  @NotFound
  @ApiErrorResponse(409, 'Reopening while the contact has another open conversation')
  @Invalid
  update(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateConversationDto,
  ): Promise<ConversationResponseDto> {
    return this.conversations.update(user.workspaceId, params.id, dto);
  }
}
