import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PgRateLimitStore } from './pg-rate-limit.store.js';
import { RateLimitGuard, RateLimitRefundInterceptor } from './rate-limit.js';

@Module({
  providers: [
    PgRateLimitStore,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_INTERCEPTOR, useClass: RateLimitRefundInterceptor },
  ],
})
export class RateLimitModule {}
