import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ErrorResponseDto } from '../common/errors/error-response.dto.js';
import { ContactListResponseDto } from './dto/contact-list-response.dto.js';
import { toContactResponse } from './dto/contact-response.dto.js';
import { ListContactsQueryDto } from './dto/list-contacts-query.dto.js';
import { InboxQueryService } from './inbox-query.service.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiResponse({
  status: 401,
  type: ErrorResponseDto,
  description: 'Missing, invalid or expired token',
})
@Controller('contacts')
export class ContactsController {
  constructor(private readonly inbox: InboxQueryService) {}

  @Get()
  @ApiOperation({
    summary: "The workspace's contacts, newest first",
    description:
      'SPEC: `?skip&limit`; also `q` (search in name, profile name and number) and the `before_id` cursor.',
  })
  @ApiOkResponse({ type: ContactListResponseDto })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: 'A parameter is invalid; `errors` names it',
  })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListContactsQueryDto,
  ): Promise<ContactListResponseDto> {
    const page = await this.inbox.listContacts(user.workspaceId, query);
    return { contacts: page.items.map(toContactResponse), next_before_id: page.nextBeforeId };
  }
}
