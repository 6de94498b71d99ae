/**
 * One jest run, three projects:
 *  - unit:  *.spec.ts, no I/O
 *  - int:   *.int-spec.ts on a real PostgreSQL (embedded, or DATABASE_URL)
 *  - kafka: *.kafka.int-spec.ts, which need KAFKA_BROKERS (or a Docker engine); they skip with a printed reason otherwise
 * The global setup starts one embedded PostgreSQL for the whole run; each suite creates its own database.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const shared = {
  transform: { '^.+\\.ts$': swc },
  // Libraries first; any other @crm/<name> is a service (only tools/ tests may import services).
  moduleNameMapper: {
    '^@crm/(platform|contracts|testing)(/.*)?$': '<rootDir>/libs/$1/src$2',
    '^@crm/([a-z-]+)$': '<rootDir>/services/$1/src',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  rootDir: __dirname,
};
module.exports = {
  // Real PostgreSQL, several services per test: 5 s (jest's default) is too tight on a busy 2-core CI
  // host. A global option: jest reads testTimeout from the top level only, not from a project.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,services,tools}/**/*.int-spec.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '\\.kafka\\.int-spec\\.ts$'],
    },
    { ...shared, displayName: 'kafka', testMatch: ['<rootDir>/{libs,services,tools}/**/*.kafka.int-spec.ts'] },
  ],
};
