import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { ContactsService } from './contacts.service.js';
import { ContactListResponseDto } from './dto/contact-list-response.dto.js';
import { ContactResponseDto, toContactResponse } from './dto/contact-response.dto.js';
import { ListContactsQueryDto } from './dto/list-contacts-query.dto.js';
import { UpdateContactDto } from './dto/update-contact.dto.js';
import { InboxQueryService } from './inbox-query.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly inbox: InboxQueryService,
    private readonly contacts: ContactsService,
  ) {}

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

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename a contact',
    description:
      '`{"name": "Ana (VIP order)"}` sets the name the inbox shows; it stays when the customer ' +
      'changes their WhatsApp profile name. `{"name": null}` goes back to the profile name. ' +
      "Publishes `conversation.updated` for each of the contact's conversations on GET /api/events.",
  })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiErrorResponse(404, 'No such contact in your workspace')
  @ApiErrorResponse(422, 'The name is missing, empty or longer than 200 characters')
  rename(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateContactDto,
  ): Promise<ContactResponseDto> {
    return this.contacts.rename(user.workspaceId, params.id, dto.name);
  }
}
