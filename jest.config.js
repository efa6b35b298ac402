/** Jest runs TypeScript through SWC: Nest 12 is ESM-only, and SWC turns it into CommonJS on the fly. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  // ESM-only packages Jest must compile to CommonJS (Nest 12 and what it pulls in).
  transformIgnorePatterns: [
    `/node_modules/(?!(${['@nestjs', 'file-type', 'pg-boss', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit', 'content-disposition', 'serialize-error', 'non-error', 'cron-parser', 'luxon'].join('|')})/)`,
  ],
  moduleNameMapper: {
    '^@app/carriers(|/.*)$': '<rootDir>/libs/carriers/src$1',
    '^@app/returns(|/.*)$': '<rootDir>/libs/returns/src$1',
  },
  testEnvironment: 'node',
};

module.exports = {
  // Whole-process and end-to-end tests boot the service; unit tests finish far sooner.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
