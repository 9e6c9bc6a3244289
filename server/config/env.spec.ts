import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnvValidationError, validateEnv } from './env.js';

const dataDir = (): string => mkdtempSync(path.join(tmpdir(), 'nolose-env-'));

describe('validateEnv', () => {
  it('applies SPEC defaults', () => {
    const env = validateEnv({ DATA_DIR: dataDir() });
    expect(env).toMatchObject({
      PORT: 8000,
      ALGORITHM: 'HS256',
      ACCESS_TOKEN_EXPIRE_MINUTES: 30,
      BCRYPT_ROUNDS: 12,
      NODE_ENV: 'development',
    });
    expect(env.WA_API_BASE_URL).toMatch(/^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/);
  });

  it('converts numbers and keeps optional WhatsApp settings', () => {
    const env = validateEnv({
      DATA_DIR: dataDir(),
      PORT: '9000',
      WA_PHONE_NUMBER_ID: '1234567890',
      WA_APP_SECRET: 'app-secret',
    });
    expect(env.PORT).toBe(9000);
    expect(env.WA_PHONE_NUMBER_ID).toBe('1234567890');
    expect(env.WA_APP_SECRET).toBe('app-secret');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ALGORITHM: 'RS256' }, 'ALGORITHM'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ WA_API_BASE_URL: 'not a url' }, 'WA_API_BASE_URL'],
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: '0' }, 'ACCESS_TOKEN_EXPIRE_MINUTES'],
  ])('refuses %j naming %s', (raw, variable) => {
    expect(() => validateEnv({ DATA_DIR: dataDir(), ...raw })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(variable) }),
    );
  });

  it('refuses production without SECRET_KEY or WA_APP_SECRET', () => {
    let error: unknown;
    try {
      validateEnv({ NODE_ENV: 'production', DATA_DIR: dataDir() });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvValidationError);
    expect((error as EnvValidationError).problems.join('\n')).toMatch(
      /SECRET_KEY is required[\s\S]*WA_APP_SECRET is required/,
    );
  });

  it('generates a development secret once and reuses it', () => {
    const dir = dataDir();
    const first = validateEnv({ DATA_DIR: dir }).SECRET_KEY;
    const second = validateEnv({ DATA_DIR: dir }).SECRET_KEY;
    expect(first).toHaveLength(64);
    expect(second).toBe(first);
    expect(readFileSync(path.join(dir, 'secret-key'), 'utf8').trim()).toBe(first);
  });
});
