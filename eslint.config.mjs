// @ts-check
import angular from 'angular-eslint';
import tseslint from 'typescript-eslint';

const strictRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/switch-exhaustiveness-check': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  eqeqeq: ['error', 'always'],
  curly: ['error', 'multi-line'],
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.angular/**', '.data/**', 'coverage/**', 'bench/results/**', '**/*.mjs', '**/*.js'],
  },
  {
    files: ['server/**/*.ts', 'migrations/**/*.ts', 'test/**/*.ts', 'emulator/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.spec.json', './test/browser/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...strictRules,
      '@typescript-eslint/unbound-method': 'off', // jest's expect(obj.method) and Nest decorators
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/client/**'], message: 'The server must not import client code.' }] }],
    },
  },
  {
    // Configuration is read in one place only (STYLE §7).
    files: ['server/**/*.ts'],
    ignores: ['server/config/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through ConfigService<Env, true>.' }],
    },
  },
  {
    files: ['client/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    languageOptions: {
      parserOptions: { project: ['./client/tsconfig.app.json', './client/tsconfig.spec.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...strictRules,
      '@typescript-eslint/unbound-method': 'off',
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'nl', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'nl', style: 'camelCase' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**'], message: 'The client must not import server code.' }] }],
    },
  },
  {
    files: ['client/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
);
