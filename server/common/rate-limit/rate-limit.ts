import { createHash } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Env } from '../../config/env.js';
import { PgRateLimitStore } from './pg-rate-limit.store.js';

const SKIP = 'rateLimitSkip';
const AUTH = 'rateLimitAuth';
const WINDOW_MS = 60_000;

/** Routes that must never be refused for volume: Meta's webhook, health, live events. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP, true);

/** Sign-in and sign-up: limited per client IP and per email on top of the global limit. */
export const AuthRateLimited = (): MethodDecorator => SetMetadata(AUTH, true);

const hashed = (s: string): string =>
  createHash('sha256').update(s).digest('base64url').slice(0, 22);

/**
 * Rate limits shared by every instance (counters in PostgreSQL): a global per-IP limit
 * (RATE_LIMIT_PER_MINUTE, 0 = off) and per-IP and per-email limits on sign-in and sign-up
 * (AUTH_RATE_LIMIT_PER_MINUTE), answered 429 with Retry-After.
 *
 * Hand-written rather than @nestjs/throttler: throttler 6.7 is CommonJS that require()s the
 * ESM-only @nestjs/common 12, which Jest's module runtime cannot load on Node 20 and 22, so
 * no test could exercise it. The storage and algorithm mirror throttler's fixed windows.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly store: PgRateLimitStore;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService<Env, true>,
    db: DataSource,
  ) {
    this.store = new PgRateLimitStore(db);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const ip = req.ip ?? 'unknown';
    const checks: { key: string; limit: number }[] = [];
    const perMinute = this.config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
    if (perMinute > 0) checks.push({ key: `ip:${hashed(ip)}`, limit: perMinute });
    if (this.reflector.getAllAndOverride<boolean>(AUTH, targets)) {
      const authLimit = this.config.get('AUTH_RATE_LIMIT_PER_MINUTE', { infer: true });
      const body = req.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
      const route = `${req.method}:${req.path}`;
      checks.push({ key: `auth-ip:${route}:${hashed(ip)}`, limit: authLimit });
      if (email) checks.push({ key: `auth-email:${route}:${hashed(email)}`, limit: authLimit });
    }
    for (const { key, limit } of checks) {
      const { hits, secondsLeft } = await this.store.hit(key, WINDOW_MS);
      if (hits > limit) {
        res.setHeader('Retry-After', String(secondsLeft));
        throw new HttpException('Too many requests; try again later', HttpStatus.TOO_MANY_REQUESTS);
      }
    }
    return true;
  }
}
