// Fault-injection tests (npm run test:faults): databases cut, servers SIGKILLed, Graph down,
// two instances, graceful shutdown, fuzzing. Loopback only; each test bounded in time.
// Same ESM/ts-jest setup and embedded PostgreSQL as the api project (../../jest.config.mjs).
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }];

export default {
  rootDir: '../..',
  testTimeout: 120000,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
};
