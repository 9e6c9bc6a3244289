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
import { Roles } from '../auth/roles.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { CreateNumberDto, UpdateNumberDto } from '../numbers/dto/create-number.dto.js';
import {
  NumberResponseDto,
  NumberTestResponseDto,
  toNumberResponse,
} from '../numbers/dto/number-response.dto.js';
import { NumbersService } from '../numbers/numbers.service.js';
import { WhatsappService } from './whatsapp.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const NotFound = ApiErrorResponse(404, 'No such number in this workspace');
const Invalid = ApiErrorResponse(422, 'Invalid input; `errors` names each field');
const Conflict = ApiErrorResponse(
  409,
  'Number already connected, or configured through WA_* variables',
);

/** Settings → WhatsApp: the workspace's numbers (admin or owner). Secrets are write-only. */
@ApiTags('whatsapp numbers')
@ApiBearerAuth()
@Roles('owner', 'admin')
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@ApiErrorResponse(403, 'Agents cannot manage numbers')
@Controller('whatsapp/numbers')
export class WhatsappNumbersController {
  constructor(
    private readonly numbers: NumbersService,
    private readonly whatsapp: WhatsappService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The workspace's WhatsApp numbers, secrets masked" })
  @ApiOkResponse({ type: NumberResponseDto, isArray: true })
  async list(@CurrentUser() user: AuthUser): Promise<NumberResponseDto[]> {
    return (await this.numbers.list(user.workspaceId)).map(toNumberResponse);
  }

  @Post()
  @ApiOperation({
    summary: 'Connect a number; token, app secret and verify token are encrypted at rest',
    description:
      'Webhooks Meta delivered for this phone number id before it was connected (kept as ' +
      '`unknown_number`) are replayed into the inbox right after, by a queue job.',
  })
  @ApiCreatedResponse({ type: NumberResponseDto })
  @Conflict
  @Invalid
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateNumberDto,
  ): Promise<NumberResponseDto> {
    return toNumberResponse(await this.numbers.create(user.workspaceId, dto));
  }

  @Patch(':id')
  @ApiOperation({ summary: "Rotate a number's credentials or details" })
  @ApiOkResponse({ type: NumberResponseDto })
  @NotFound
  @Conflict
  @Invalid
  async update(
    @CurrentUser() user: AuthUser,
    @Param() p: IdParamDto,
    @Body() dto: UpdateNumberDto,
  ): Promise<NumberResponseDto> {
    return toNumberResponse(await this.numbers.update(user.workspaceId, p.id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect a number (its conversations stay)' })
  @ApiNoContentResponse()
  @NotFound
  @Conflict
  async remove(@CurrentUser() user: AuthUser, @Param() p: IdParamDto): Promise<void> {
    await this.numbers.remove(user.workspaceId, p.id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test connection: read the number from the Graph API with its own token',
  })
  @ApiOkResponse({ type: NumberTestResponseDto })
  @NotFound
  test(@CurrentUser() user: AuthUser, @Param() p: IdParamDto): Promise<NumberTestResponseDto> {
    return this.whatsapp.testNumber(user.workspaceId, p.id);
  }
}
