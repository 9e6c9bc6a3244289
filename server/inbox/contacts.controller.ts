import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ContactListResponseDto } from './dto/contact-list-response.dto.js';
import { toContactResponse } from './dto/contact-response.dto.js';
import { ListContactsQueryDto } from './dto/list-contacts-query.dto.js';
import { InboxQueryService } from './inbox-query.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
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
  @ApiErrorResponse(422, 'A parameter is invalid; `errors` names it')
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListContactsQueryDto,
  ): Promise<ContactListResponseDto> {
    const page = await this.inbox.listContacts(user.workspaceId, query);
    return { contacts: page.items.map(toContactResponse), next_before_id: page.nextBeforeId };
  }
}
