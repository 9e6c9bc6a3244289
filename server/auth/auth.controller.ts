import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { InputValidationException } from '../common/errors/validation.js';
import { AuthRateLimited } from '../common/rate-limit/rate-limit.js';
import { UserResponseDto, toUserResponse } from '../users/dto/user-response.dto.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { CurrentUser } from './current-user.decorator.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { MeResponseDto } from './dto/me-response.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenResponseDto } from './dto/token-response.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { Public } from './public.decorator.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const Unauthorized = ApiErrorResponse(401, 'Missing, invalid or expired token');
const Invalid = ApiErrorResponse(422, 'Invalid input; `errors` names each field');

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AuthRateLimited()
  @Post('register')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an account (and a workspace the new user owns)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrorResponse(400, 'Email already registered')
  @Invalid
  async register(@Body() dto: RegisterDto): Promise<UserResponseDto> {
    return toUserResponse(await this.auth.register(dto));
  }

  @Public()
  @AuthRateLimited({ failuresOnly: true })
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrorResponse(401, 'Incorrect email or password')
  @ApiErrorResponse(429, 'Too many attempts from this IP or for this email; see Retry-After')
  @Invalid
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto.email, dto.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user and the workspace the request acts in' })
  @ApiOkResponse({ type: MeResponseDto })
  @Unauthorized
  me(@CurrentUser() user: AuthUser): Promise<MeResponseDto> {
    return this.auth.me(user);
  }

  @AuthRateLimited({ failuresOnly: true })
  @Put('password')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change the password: every token issued before stops working; answers a new token',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrorResponse(400, 'Current password is incorrect')
  @Unauthorized
  @Invalid
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
  ): Promise<TokenResponseDto> {
    return this.auth.changePassword(user, dto.current_password, dto.new_password);
  }

  @Put('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Rename the signed-in user (`?name=` as in SPEC, or a JSON body `{name}`)',
  })
  @ApiQuery({ name: 'name', required: false, example: 'Jane Doe' })
  @ApiBody({ type: UpdateProfileDto, required: false })
  @ApiOkResponse({ type: MeResponseDto })
  @Unauthorized
  @Invalid
  update(
    @CurrentUser() user: AuthUser,
    @Query() query: UpdateProfileDto,
    @Body() body: UpdateProfileDto,
  ): Promise<MeResponseDto> {
    const name = query.name ?? body.name;
    if (name === undefined) {
      throw new InputValidationException([{ field: 'name', message: 'name is required' }]);
    }
    return this.auth.rename(user, name);
  }
}
