import { Controller, Get } from '@nestjs/common';
import { SkipRateLimit } from '../common/rate-limit/rate-limit.js';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('health')
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness and database reachability (for load balancers)' })
  @ApiOkResponse({
    description: 'Healthy',
    schema: { example: { status: 'ok', info: { database: { status: 'up' } } } },
  })
  @ApiErrorResponse(503, 'The database is unreachable')
  check(): ReturnType<HealthCheckService['check']> {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }
}
