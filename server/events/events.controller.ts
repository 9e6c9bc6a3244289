import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { SkipRateLimit } from '../common/rate-limit/rate-limit.js';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { EventsQueryDto, resolveLastEventId } from './dto/events-query.dto.js';
import { EventsStreamService } from './events-stream.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const EXAMPLE_STREAM = [
  'retry: 3000',
  '',
  'id: 1042',
  'event: message.created',
  'data: {"message":{"id":42,"content":"Hello","…":"…"},"conversation":{"id":7,"unread_count":1,"…":"…"}}',
  '',
  ': heartbeat',
  '',
  'id: 1043',
  'event: conversation.updated',
  'data: {"conversation":{"id":7,"is_active":false,"…":"…"}}',
  '',
].join('\n');

@ApiTags('events')
@ApiBearerAuth()
@SkipRateLimit()
@Controller('events')
export class EventsController {
  constructor(private readonly streams: EventsStreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Live updates of your workspace (server-sent events)',
    description:
      'A `text/event-stream` that stays open. Event types: `message.created` `{message, conversation}`, ' +
      '`message.updated` `{message}`, `conversation.updated` `{conversation}`, `note.created` `{note}` ' +
      '(objects as in the inbox API). Each event has an `id`; reconnect with the `Last-Event-ID` header or `?last_event_id=` to ' +
      'replay what you missed (events are kept 7 days). A `: heartbeat` comment every 25 s keeps ' +
      'proxies from closing the connection. EventSource cannot set headers, so the token may be ' +
      'given as `?access_token=` on this route.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Replay events after this id',
    example: '1041',
  })
  @ApiOkResponse({
    description: 'The event stream',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLE_STREAM } },
  })
  @ApiErrorResponse(401, 'Missing, invalid or expired token')
  @ApiErrorResponse(422, 'last_event_id or Last-Event-ID is not an event id')
  stream(
    @CurrentUser() user: AuthUser,
    @Query() query: EventsQueryDto,
    @Headers('last-event-id') header: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.streams.open(user.workspaceId, resolveLastEventId(header, query), req, res);
  }
}
