const nx = require('@nx/eslint-plugin');

const DEPENDENCY_CONSTRAINTS = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:service'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

module.exports = [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', 'libs/contracts/src/gen/**', 'deploy/kafka/.cache/**', 'coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      // Services talk only through events: a service may use libraries, never another service.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: DEPENDENCY_CONSTRAINTS,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The end-to-end suites and the benchmarks start real services (gateway in front of identity, ...) in
    // one process, so they import the services' definitions, which Nx otherwise forbids as imports of
    // applications.
    files: ['tools/e2e/**/*.ts', 'tools/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: ['@crm/*'], depConstraints: DEPENDENCY_CONSTRAINTS }],
    },
  },
  {
    // Jest's global setup runs before any build and outside the module mapper, so it must import the
    // embedded-Postgres helper from platform's source by relative path. Only these two files may.
    files: ['libs/testing/src/jest/global-setup.ts', 'libs/testing/src/jest/shared-server.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
