import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { CreateNoteDto, NoteListResponseDto, NoteResponseDto } from './dto/note.dto.js';
import { NotesService } from './notes.service.js';

const NotFound = ApiErrorResponse(404, 'No such conversation in your workspace');

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('conversations')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get(':id/notes')
  @ApiOperation({
    summary: "A conversation's internal notes, oldest first (the latest 500)",
  })
  @ApiOkResponse({ type: NoteListResponseDto })
  @NotFound
  @ApiErrorResponse(422, 'The id is invalid')
  async list(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
  ): Promise<NoteListResponseDto> {
    return { notes: await this.notes.list(user.workspaceId, params.id) };
  }

  @Post(':id/notes')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add an internal note to a conversation',
    description:
      'Seen by the workspace only, never sent to the customer. Publishes `note.created` `{note}` ' +
      'on GET /api/events.',
  })
  @ApiCreatedResponse({ type: NoteResponseDto })
  @NotFound
  @ApiErrorResponse(422, 'An empty or too long `body`, or an unknown field (`errors` names it)')
  add(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: CreateNoteDto,
  ): Promise<NoteResponseDto> {
    return this.notes.add(user.workspaceId, params.id, user.id, dto.body);
  }
}
