import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { BusinessProfileDto } from './dto/business-profile.dto.js';
import { PhoneNumberDto } from './dto/phone-number.dto.js';
import { TemplateListResponseDto } from './dto/template-list-response.dto.js';
import { VerifyResponseDto } from './dto/verify-response.dto.js';
import { WhatsappService } from './whatsapp.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('whatsapp')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@ApiErrorResponse(
  502,
  "Meta refused the request: `whatsapp_auth_failed` (the access token was rejected, Meta's code 190) or " +
    "`whatsapp_error`, with Meta's message, `meta_code`, `meta_subcode`, `meta_type` and `fbtrace_id`; " +
    '`whatsapp_unreachable` when the Graph API could not be reached',
  'WhatsApp rejected the access token (WA_ACCESS_TOKEN): Invalid OAuth access token',
)
@ApiErrorResponse(
  503,
  '`whatsapp_not_configured`: the message names the missing variable (WA_ACCESS_TOKEN, WA_PHONE_NUMBER_ID, ' +
    'WA_BUSINESS_ACCOUNT_ID); `whatsapp_rate_limited`: Meta asks to slow down',
  'WhatsApp is not configured: set WA_ACCESS_TOKEN (see README, Configuration)',
)
@ApiErrorResponse(
  504,
  '`whatsapp_timeout`: Meta did not answer within WA_API_TIMEOUT_MS',
  'WhatsApp did not answer within 10000 ms (WA_API_TIMEOUT_MS); try again shortly',
)
@Controller('whatsapp')
export class WhatsappController {
  constructor(private readonly whatsapp: WhatsappService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Check the access token against the configured phone number' })
  @ApiOkResponse({ type: VerifyResponseDto })
  verify(@CurrentUser() user: AuthUser): Promise<VerifyResponseDto> {
    return this.whatsapp.verify(user.workspaceId);
  }

  @Get('profile')
  @ApiOperation({ summary: "The number's WhatsApp business profile" })
  @ApiOkResponse({ type: BusinessProfileDto })
  profile(@CurrentUser() user: AuthUser): Promise<BusinessProfileDto> {
    return this.whatsapp.profile(user.workspaceId);
  }

  @Get('phone-numbers')
  @ApiOperation({ summary: 'Phone numbers of the WhatsApp Business Account' })
  @ApiOkResponse({ type: [PhoneNumberDto] })
  phoneNumbers(@CurrentUser() user: AuthUser): Promise<PhoneNumberDto[]> {
    return this.whatsapp.phoneNumbers(user.workspaceId);
  }

  @Get('templates')
  @ApiOperation({ summary: 'Message templates of the WhatsApp Business Account (every page)' })
  @ApiOkResponse({ type: TemplateListResponseDto })
  templates(@CurrentUser() user: AuthUser): Promise<TemplateListResponseDto> {
    return this.whatsapp.templates(user.workspaceId);
  }
}
