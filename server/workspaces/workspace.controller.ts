import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { CreateInviteDto } from './dto/create-invite.dto.js';
import {
  CreatedInviteResponseDto,
  InvitePreviewDto,
  InviteResponseDto,
} from './dto/invite-response.dto.js';
import { MemberResponseDto, WorkspaceSummaryDto } from './dto/member-response.dto.js';
import { InviteTokenParamDto } from './dto/invite-token-param.dto.js';
import { TransferOwnershipDto } from './dto/transfer-ownership.dto.js';
import { UpdateMemberDto } from './dto/update-member.dto.js';
import { UserIdParamDto } from './dto/user-id-param.dto.js';
import { InvitesService } from './invites.service.js';
import { WorkspacesService } from './workspaces.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const Unauthorized = ApiErrorResponse(401, 'Missing, invalid or expired token');
const Forbidden = ApiErrorResponse(403, 'Your role in this workspace does not allow it');
const NotFound = ApiErrorResponse(404, 'No such member or invite in this workspace');
const Invalid = ApiErrorResponse(422, 'Invalid input; `errors` names each field');

/** The workspace a request acts in (X-Workspace-Id, else the oldest membership). */
@ApiTags('workspace')
@ApiBearerAuth()
@Unauthorized
@Controller('workspace')
export class WorkspaceController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly invites: InvitesService,
  ) {}

  @Get('members')
  @ApiOperation({ summary: 'Members of the workspace (any member may look)' })
  @ApiOkResponse({ type: MemberResponseDto, isArray: true })
  members(@CurrentUser() user: AuthUser): Promise<MemberResponseDto[]> {
    return this.workspaces.listMembers(user.workspaceId);
  }

  @Delete('members/:userId')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (admin or owner; the owner cannot be removed)' })
  @ApiNoContentResponse()
  @Forbidden
  @NotFound
  @ApiErrorResponse(
    503,
    'It kept colliding with concurrent changes to their conversations (code `concurrent_update`); nothing changed, try again',
    'The request collided with concurrent changes; try again',
  )
  async removeMember(@CurrentUser() user: AuthUser, @Param() p: UserIdParamDto): Promise<void> {
    await this.workspaces.removeMember(user.workspaceId, p.userId);
  }

  @Patch('members/:userId')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: "Change a member's role to admin or agent (admin or owner)" })
  @ApiOkResponse({ type: MemberResponseDto })
  @Forbidden
  @NotFound
  @Invalid
  changeRole(
    @CurrentUser() user: AuthUser,
    @Param() p: UserIdParamDto,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberResponseDto> {
    return this.workspaces.changeRole(user.workspaceId, p.userId, dto.role);
  }

  @Post('transfer-ownership')
  @Roles('owner')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Hand the workspace to another member (owner only); you become an admin',
  })
  @ApiNoContentResponse()
  @Forbidden
  @NotFound
  @Invalid
  async transfer(@CurrentUser() user: AuthUser, @Body() dto: TransferOwnershipDto): Promise<void> {
    await this.workspaces.transferOwnership(user.workspaceId, user.id, dto.user_id);
  }

  @Post('invites')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'Create an invite link (admin or owner); the token is shown only now' })
  @ApiCreatedResponse({ type: CreatedInviteResponseDto })
  @Forbidden
  @Invalid
  createInvite(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateInviteDto,
  ): Promise<CreatedInviteResponseDto> {
    return this.invites.create(user.workspaceId, user.id, dto);
  }

  @Get('invites')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'Invites of the workspace, newest first (admin or owner)' })
  @ApiOkResponse({ type: InviteResponseDto, isArray: true })
  @Forbidden
  listInvites(@CurrentUser() user: AuthUser): Promise<InviteResponseDto[]> {
    return this.invites.list(user.workspaceId);
  }

  @Delete('invites/:id')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an invite (admin or owner)' })
  @ApiNoContentResponse()
  @Forbidden
  @NotFound
  async revokeInvite(@CurrentUser() user: AuthUser, @Param() p: IdParamDto): Promise<void> {
    await this.invites.revoke(user.workspaceId, p.id);
  }
}

// Bearer auth per operation: the invite preview is public.
@ApiTags('workspace')
@Controller()
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly invites: InvitesService,
  ) {}

  @Get('workspaces')
  @ApiBearerAuth()
  @Unauthorized
  @ApiOperation({
    summary: 'Workspaces you belong to; send one id as X-Workspace-Id to act in it',
  })
  @ApiOkResponse({ type: WorkspaceSummaryDto, isArray: true })
  mine(@CurrentUser() user: AuthUser): Promise<WorkspaceSummaryDto[]> {
    return this.workspaces.listMine(user.id);
  }

  @Get('invites/:token')
  @Public()
  @ApiOperation({
    summary: 'What an invite link joins (public): workspace, role and expiry',
    description: 'Consumes nothing. The same 404 and 410 as accepting the invite would answer.',
  })
  @ApiOkResponse({ type: InvitePreviewDto })
  @ApiErrorResponse(404, 'Unknown or revoked invite')
  @ApiErrorResponse(410, 'Expired or used up')
  @Invalid
  preview(@Param() p: InviteTokenParamDto): Promise<InvitePreviewDto> {
    return this.invites.preview(p.token);
  }

  @Post('invites/:token/accept')
  @HttpCode(200)
  @ApiBearerAuth()
  @Unauthorized
  @ApiOperation({ summary: 'Join the workspace of an invite link as the signed-in user' })
  @ApiOkResponse({ type: WorkspaceSummaryDto })
  @ApiErrorResponse(404, 'Unknown or revoked invite')
  @ApiErrorResponse(409, 'Already a member')
  @ApiErrorResponse(410, 'Expired or used up')
  @Invalid
  async accept(
    @CurrentUser() user: AuthUser,
    @Param() p: InviteTokenParamDto,
  ): Promise<WorkspaceSummaryDto> {
    const joined = await this.invites.accept(user.id, p.token);
    const mine = await this.workspaces.listMine(user.id);
    return (
      mine.find((w) => w.id === joined.workspaceId) ?? {
        id: joined.workspaceId,
        name: '',
        role: joined.role,
      }
    );
  }
}
