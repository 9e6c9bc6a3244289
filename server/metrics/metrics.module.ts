import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsMiddleware } from './metrics.middleware.js';
import { MetricsService } from './metrics.service.js';

/** GET /api/metrics (Prometheus) and the request-latency middleware. Global: any module may count. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every route under the global prefix. A bare '*' is the pre-Express-5 wildcard, which
    // Nest rewrites with a warning at every start.
    consumer.apply(MetricsMiddleware).forRoutes('{*splat}');
  }
}
