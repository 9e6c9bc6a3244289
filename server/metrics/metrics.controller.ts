import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';
import { SkipRateLimit } from '../common/rate-limit/rate-limit.js';
import type { Env } from '../config/env.js';
import { MetricsService } from './metrics.service.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  @Public()
  @SkipRateLimit()
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics of this instance',
    description:
      'Text exposition format. When METRICS_TOKEN is set, send `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': {} } })
  @ApiErrorResponse(
    401,
    'METRICS_TOKEN is set and was not presented',
    'A valid metrics token is required',
  )
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = this.config.get('METRICS_TOKEN', { infer: true });
    if (token) {
      const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
      // Hashes first: equal lengths for timingSafeEqual, and no early exit on length.
      if (!timingSafeEqual(digest(given), digest(token))) {
        throw new UnauthorizedException('A valid metrics token is required');
      }
    }
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
