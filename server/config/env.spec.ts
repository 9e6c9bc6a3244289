import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Env, EnvValidationError, trustProxySetting, validateEnv } from './env.js';
import { projectRoot } from './paths.js';

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
    [{ TRUST_PROXY: '10.0.0.300' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'loopback, my-balancer' }, 'TRUST_PROXY'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
  ])('refuses %j naming %s', (raw, variable) => {
    expect(() => validateEnv({ DATA_DIR: dataDir(), ...raw })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(variable) }),
    );
  });

  it('reads TRUST_PROXY as Express does', () => {
    const trust = (value: string) =>
      trustProxySetting(validateEnv({ DATA_DIR: dataDir(), TRUST_PROXY: value }).TRUST_PROXY);
    expect(trustProxySetting(validateEnv({ DATA_DIR: dataDir() }).TRUST_PROXY)).toEqual([
      'loopback',
    ]);
    expect(trust('10.0.0.0/8, 192.168.1.7, fd00::/8, loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
    expect(trust('10.0.0.0/255.0.0.0')).toEqual(['10.0.0.0/255.0.0.0']);
    expect(trust('2')).toBe(2);
    expect(trust('true')).toBe(true);
    expect(trust('false')).toBe(false);
  });

  it('treats an empty optional variable as unset', () => {
    // `METRICS_TOKEN=` in a compose file means "no token", not a too-short one.
    const env = validateEnv({ DATA_DIR: dataDir(), METRICS_TOKEN: '', WA_APP_SECRET: ' ' });
    expect(env.METRICS_TOKEN).toBeUndefined();
    expect(env.WA_APP_SECRET).toBeUndefined();
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

  it('is documented: every variable is in README.md and .env.example', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const example = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const variables = Object.keys(new Env());
    expect(variables.length).toBeGreaterThan(30);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect(variables.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example))).toEqual([]);
  });
});
