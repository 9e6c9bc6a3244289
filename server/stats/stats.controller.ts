import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { InboxStatsService } from '../inbox/inbox-stats.service.js';
import { DailyStatsQueryDto } from './dto/daily-stats-query.dto.js';
import { DailyStatsResponseDto } from './dto/daily-stats-response.dto.js';
import { StatsResponseDto, toStatsResponse } from './dto/stats-response.dto.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('stats')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: InboxStatsService) {}

  @Get()
  @ApiOperation({
    summary: "Totals of the workspace's messages, contacts and conversations (SPEC)",
  })
  @ApiOkResponse({ type: StatsResponseDto })
  async totals(@CurrentUser() user: AuthUser): Promise<StatsResponseDto> {
    return toStatsResponse(await this.stats.totals(user.workspaceId));
  }

  @Get('daily')
  @ApiOperation({ summary: 'Inbound and outbound messages per UTC day, for the dashboard chart' })
  @ApiOkResponse({ type: DailyStatsResponseDto })
  @ApiErrorResponse(422, '`days` is not an integer in 1..90')
  async daily(
    @CurrentUser() user: AuthUser,
    @Query() query: DailyStatsQueryDto,
  ): Promise<DailyStatsResponseDto> {
    return { days: await this.stats.daily(user.workspaceId, query.days) };
  }
}
