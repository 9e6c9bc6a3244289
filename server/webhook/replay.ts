// `npm run webhooks:replay [-- --id 12 --id 13 | --since 2026-11-24T00:00:00Z | --outcome failed]`
// Re-processes stored webhook events (webhook_events) idempotently: after a parser fix, a
// number registered late, or a processing failure. Without --id/--since it replays the
// events that did not go through (outcomes failed and unknown_number). Uses DATABASE_URL,
// or starts the embedded PostgreSQL the same way `npm start` does.
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '../config/config.module.js';
import { EnvValidationError, loadEnv, type Env } from '../config/env.js';
import { dataSourceOptions, runMigrations } from '../database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres.js';
import { WEBHOOK_OUTCOMES, type WebhookOutcome } from './webhook-event.entity.js';
import { WebhookModule } from './webhook.module.js';
import { WebhookService, type ReplayFilter } from './webhook.service.js';

/** Just what a replay needs: configuration, the database and the webhook module. */
@Module({})
class ReplayModule {
  static forRoot(env: Env & { DATABASE_URL: string }): DynamicModule {
    return {
      module: ReplayModule,
      imports: [
        ConfigModule.forRoot(env),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: env.DATABASE_URL, poolSize: 4 }),
          autoLoadEntities: true,
        }),
        WebhookModule,
      ],
    };
  }
}

const USAGE =
  'usage: npm run webhooks:replay -- [--id <id>]... [--since <ISO date>] [--outcome <outcome>]...';

function parseFilter(argv: string[]): ReplayFilter {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: 'string', multiple: true },
      since: { type: 'string' },
      outcome: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const filter: ReplayFilter = {};
  if (values.id) {
    const ids = values.id.flatMap((v) => v.split(',')).map((v) => v.trim());
    if (ids.some((id) => !/^\d+$/.test(id))) {
      throw new Error(`--id takes event ids (digits). ${USAGE}`);
    }
    filter.ids = ids;
  }
  if (values.since !== undefined) {
    const since = new Date(values.since);
    if (Number.isNaN(since.getTime())) {
      throw new Error(`--since takes a date such as 2026-11-24T00:00:00Z. ${USAGE}`);
    }
    filter.since = since;
  }
  if (values.outcome) {
    const outcomes = values.outcome.flatMap((v) => v.split(','));
    const wrong = outcomes.filter((o) => !(WEBHOOK_OUTCOMES as readonly string[]).includes(o));
    if (wrong.length > 0) {
      throw new Error(`--outcome must be one of ${WEBHOOK_OUTCOMES.join(', ')}. ${USAGE}`);
    }
    filter.outcomes = outcomes as WebhookOutcome[];
  }
  return filter;
}

async function main(): Promise<void> {
  const filter = parseFilter(process.argv.slice(2));
  const env = loadEnv();
  let embedded: EmbeddedDatabase | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    const dir = path.join(env.DATA_DIR, 'postgres');
    console.log(`No DATABASE_URL: starting embedded PostgreSQL (data in ${dir})`);
    embedded = await startEmbeddedPostgres({
      dir,
      port: env.EMBEDDED_PG_PORT,
      database: 'no_lose',
    });
    url = embedded.url;
  }
  try {
    await runMigrations(url);
    const app = await NestFactory.createApplicationContext(
      // No queue worker here: the command replays and exits; the servers run the jobs.
      ReplayModule.forRoot({ ...env, DATABASE_URL: url, QUEUE_CONCURRENCY: 0 }),
      {
        logger: ['error', 'warn'],
      },
    );
    try {
      const summary = await app.get(WebhookService).replay(filter);
      for (const r of summary.results) {
        console.log(
          `event ${r.id}: ${r.outcome ?? 'replay failed'} — ${r.messagesStored} new messages, ` +
            `${r.messagesUpdated} re-parsed, ${r.statusesStored} new statuses${r.error ? ` (${r.error.split('\n')[0]})` : ''}`,
        );
      }
      console.log(
        `Replayed ${summary.events} event(s): ${summary.messagesStored} new messages, ${summary.messagesUpdated} ` +
          `re-parsed, ${summary.statusesStored} new statuses, ${summary.failed} failed`,
      );
      process.exitCode = summary.failed > 0 ? 1 : 0;
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

// Exit explicitly: background services of the imported modules (live-event listener,
// queue workers) must not keep a finished command alive.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err instanceof EnvValidationError || err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
