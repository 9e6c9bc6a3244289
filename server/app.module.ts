import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.js';
import { clientDistDir } from './config/paths.js';
import { requestId } from './common/logging/request-id.js';
import { serializeRequest, serializeResponse } from './common/logging/request-serializers.js';
import { dataSourceOptions } from './database/data-source.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { InboxModule } from './inbox/inbox.module.js';
import { MediaModule } from './media/media.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueueModule } from './queue/queue.module.js';
import { SendingModule } from './sending/sending.module.js';
import { StatsModule } from './stats/stats.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhookModule } from './webhook/webhook.module.js';
import { WhatsappModule } from './whatsapp/whatsapp.module.js';
import { WorkspacesModule } from './workspaces/workspaces.module.js';

// Secrets a logged object may carry. Requests need none: serializeRequest logs no headers,
// query or params, and redacts the URL itself.
const REDACT = [
  '*.password',
  '*.access_token',
  '*.hashed_password',
  '*.app_secret',
  '*.verify_token',
  '*.invite_token',
];

/** Root module: wiring only. `env` is validated before Nest starts (main.ts, tests). */
@Module({})
export class AppModule {
  static forRoot(env: Env & { DATABASE_URL: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.LOG_LEVEL,
            redact: { paths: REDACT, censor: '[redacted]' },
            // A request is logged as id, method, redacted URL, address and agent (see there).
            serializers: { req: serializeRequest, res: serializeResponse },
            genReqId: requestId,
            autoLogging: { ignore: (req) => req.url === '/api/health' },
            transport:
              env.NODE_ENV === 'development' && process.stdout.isTTY
                ? { target: 'pino-pretty', options: { singleLine: true } }
                : undefined,
          },
        }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: env.DATABASE_URL,
            poolSize: env.DB_POOL_SIZE,
            preparedStatements: env.DB_PREPARED_STATEMENTS,
          }),
          autoLoadEntities: true,
        }),
        ServeStaticModule.forRoot({
          rootPath: clientDistDir,
          exclude: ['/api/{*path}', '/docs/{*path}', '/docs', '/docs-json'],
        }),
        MetricsModule,
        RateLimitModule,
        AuthModule,
        UsersModule,
        WorkspacesModule,
        HealthModule,
        EventsModule,
        InboxModule,
        WebhookModule,
        StatsModule,
        QueueModule,
        WhatsappModule,
        SendingModule,
        MediaModule,
      ],
    };
  }
}
