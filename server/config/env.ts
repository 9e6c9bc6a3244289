import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import dotenv from 'dotenv';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { projectRoot } from './paths.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim())
    ? Number(value.trim())
    : value;
const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? (({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[
        value.toLowerCase()
      ] ?? value)
    : value;
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Express's `trust proxy` value for TRUST_PROXY, or null when it is not one (see Env). */
export function trustProxySetting(value: string): boolean | number | string[] | null {
  const v = value.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  const items = v.split(',').map((item) => item.trim());
  const valid = items.every((item) => {
    if (PROXY_RANGES.has(item)) return true;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    // A prefix length, or (IPv4) a netmask as proxy-addr accepts.
    return /^\d{1,3}$/.test(prefix)
      ? Number(prefix) <= (family === 4 ? 32 : 128)
      : family === 4 && isIP(prefix) === 4;
  });
  return valid ? items : null;
}

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every setting No Lose reads, validated at start. A wrong value stops the boot with a
 * message naming the variable. Secrets are listed in SECRET_KEYS so logs can redact them.
 */
export class Env {
  /** development | production | test. Production refuses unsafe defaults. */
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  /** HTTP port for the API, Swagger and the Angular app. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  /** Interface to listen on. */
  @IsString()
  HOST = '0.0.0.0';

  /**
   * Which proxies' X-Forwarded-For is believed for the client's IP (rate limits, logs): Express's
   * `trust proxy` — `loopback`, `linklocal`, `uniquelocal`, IPs and CIDRs (comma-separated), a
   * hop count, `true` (any) or `false`. Behind a load balancer on another host, name it here.
   */
  @IsString()
  TRUST_PROXY = 'loopback';

  /** postgres://user:pass@host:port/db. Unset: an embedded PostgreSQL under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;

  /** Where embedded PostgreSQL, the development secret and media files live. */
  @IsString()
  DATA_DIR = path.join(projectRoot, '.data');

  /** Port of the embedded PostgreSQL (only used when DATABASE_URL is unset). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Size of the database connection pool of one instance. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 20;

  /**
   * The webhook's statements as prepared statements with generic plans (planned once per
   * connection). Turn off behind a transaction-pooling PgBouncer that keeps no prepared
   * statements (max_prepared_statements = 0) or refuses the `options` startup parameter.
   */
  @Transform(toBool)
  @IsBoolean()
  DB_PREPARED_STATEMENTS = true;

  /**
   * Webhook transactions one instance runs at once (group commit: deliveries arriving
   * meanwhile wait and share the next commit). Fewer slots make bigger groups.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32)
  WEBHOOK_COMMIT_SLOTS = 2;

  /** HMAC key for access tokens; at least 32 characters. Required in production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SECRET_KEY must be at least 32 characters long' })
  SECRET_KEY?: string = undefined;

  /**
   * Key that encrypts WhatsApp access tokens, app secrets and verify tokens at rest
   * (AES-256-GCM; at least 32 characters). Required in production; elsewhere derived from
   * SECRET_KEY when unset. Changing it makes stored number credentials unreadable.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'ENCRYPTION_KEY must be at least 32 characters long' })
  ENCRYPTION_KEY?: string = undefined;

  /** JWT algorithm. Only HS256 is accepted (SPEC). */
  @IsIn(['HS256'], { message: 'ALGORITHM must be HS256' })
  ALGORITHM = 'HS256';

  /** Lifetime of an access token in minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60 * 24 * 30)
  ACCESS_TOKEN_EXPIRE_MINUTES = 30;

  /** bcrypt cost factor. */
  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 12;

  /** Comma-separated origins allowed by CORS. Empty: same-origin only. */
  @IsString()
  CORS_ORIGINS = '';

  /** pino log level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest JSON body accepted by the API (webhooks included), e.g. 100kb, 5mb. */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 5mb' })
  BODY_LIMIT = '5mb';

  /** Requests per minute per client IP across the API (0 turns the limit off). Never applies to the webhook. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Sign-up attempts and failed sign-ins per minute, per client IP and per email. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 10;

  /** Phone number id of the bootstrap WhatsApp number (first workspace). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+$/, { message: 'WA_PHONE_NUMBER_ID must be digits' })
  WA_PHONE_NUMBER_ID?: string = undefined;

  /** WhatsApp Business Account id of the bootstrap number. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+$/, { message: 'WA_BUSINESS_ACCOUNT_ID must be digits' })
  WA_BUSINESS_ACCOUNT_ID?: string = undefined;

  /** Graph API access token of the bootstrap number. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WA_ACCESS_TOKEN?: string = undefined;

  /** Token Meta echoes in the webhook verification handshake. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WA_VERIFY_TOKEN?: string = undefined;

  /** Meta app secret: verifies X-Hub-Signature-256 on webhooks. Required in production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WA_APP_SECRET?: string = undefined;

  /** Graph API base URL including the version. Point it at the emulator for local work. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  WA_API_BASE_URL = 'https://graph.facebook.com/v23.0';

  /** Timeout of one Graph API call, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  WA_API_TIMEOUT_MS = 10000;

  /** Most messages per second sent from one WhatsApp number, across all instances (Meta: 80). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WA_SEND_RATE_PER_SECOND = 80;

  /** Queue jobs (sends, media downloads) one instance runs at once; 0 runs none here. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(200)
  QUEUE_CONCURRENCY = 10;

  /** How often idle queue workers look for due jobs (new jobs also wake them at once). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60000)
  QUEUE_POLL_INTERVAL_MS = 1000;

  /** First retry delay of a failed job; doubled per attempt, with jitter, up to 5 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600000)
  QUEUE_RETRY_BASE_MS = 2000;

  /** How long a claimed job stays owned without a heartbeat before another instance retakes it. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  QUEUE_LEASE_MS = 30000;

  /**
   * Bearer token GET /api/metrics requires (Prometheus `authorization: {credentials: …}`).
   * Unset: the metrics are public (counts only, no content) — set it when the port is exposed.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string = undefined;

  /** Serve Swagger UI at /docs. */
  @Transform(toBool)
  @IsBoolean()
  SWAGGER_ENABLED = true;
}

/** Keys whose values must never reach a log line or a response. */
export const SECRET_KEYS: readonly (keyof Env)[] = [
  'SECRET_KEY',
  'ENCRYPTION_KEY',
  'WA_ACCESS_TOKEN',
  'WA_APP_SECRET',
  'WA_VERIFY_TOKEN',
  'DATABASE_URL',
  'METRICS_TOKEN',
];

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvValidationError';
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) =>
      msg.startsWith(e.property) ? msg : `${e.property}: ${msg}`,
    ),
  );
}

/**
 * Validates raw variables into an Env. Throws EnvValidationError listing every bad
 * variable by name. In development a missing SECRET_KEY is generated once and kept under
 * DATA_DIR so tokens survive restarts; production refuses to start without one.
 */
export function validateEnv(raw: Record<string, unknown>): Env {
  // Every property has an initialiser (optional ones `= undefined`), so this lists them all.
  const known = new Set(Object.keys(new Env()));
  const input = Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k)));
  const env = plainToInstance(Env, input, { exposeDefaultValues: true });
  const problems = flatten(validateSync(env, { skipMissingProperties: false }));
  if (env.NODE_ENV === 'production') {
    if (!env.SECRET_KEY) problems.push('SECRET_KEY is required when NODE_ENV=production');
    if (!env.ENCRYPTION_KEY) {
      problems.push('ENCRYPTION_KEY is required when NODE_ENV=production');
    }
    if (!env.WA_APP_SECRET) {
      problems.push(
        'WA_APP_SECRET is required when NODE_ENV=production (webhook signatures cannot be verified without it)',
      );
    }
  }
  if (typeof env.TRUST_PROXY === 'string' && trustProxySetting(env.TRUST_PROXY) === null) {
    problems.push(
      'TRUST_PROXY must be true, false, a hop count, or comma-separated IPs, CIDRs, loopback, linklocal or uniquelocal',
    );
  }
  if (problems.length > 0) throw new EnvValidationError(problems);
  if (!env.SECRET_KEY) env.SECRET_KEY = loadOrCreateDevSecret(env.DATA_DIR);
  // Development and tests: a key of its own, derived so it is stable with SECRET_KEY.
  env.ENCRYPTION_KEY ??= createHash('sha256')
    .update(`no-lose-encryption-key:${env.SECRET_KEY}`)
    .digest('base64url');
  return env;
}

function loadOrCreateDevSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret-key');
  if (existsSync(file)) {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Reads `.env` (when present) under the real environment, then validates. */
export function loadEnv(overrides: Record<string, string | undefined> = {}): Env {
  const fromFile = readDotEnv(path.join(projectRoot, '.env'));
  return validateEnv({ ...fromFile, ...process.env, ...stripUndefined(overrides) });
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

function readDotEnv(file: string): Record<string, string> {
  return existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
}
