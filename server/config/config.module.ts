import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import type { Env } from './env.js';

/**
 * Serves an already validated Env through Nest's typed ConfigService<Env, true>.
 * Validation happens once, before Nest starts (main.ts, tests), so a bad value stops
 * the process before anything listens.
 */
@Module({})
export class ConfigModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      imports: [
        NestConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: true,
          // Only the validated Env counts: without this, ConfigService falls back to
          // process.env for unset optional variables, and @nestjs/config copies each app's
          // values into process.env — so a second app in the same process (tests, the demo)
          // would silently inherit the first one's WA_* settings.
          skipProcessEnv: true,
          validate: () => ({ ...env }),
        }),
      ],
    };
  }
}
