/** Type-checking is `npm run typecheck`'s job; jest only transpiles (with swc, which keeps decorator metadata). */
const swc = [
  '@swc/jest',
  JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8')),
];

const common = {
  transform: { '^.+\\.(ts|js)$': swc },
  // Packages that ship only ES modules, which jest's CommonJS runtime cannot require untransformed
  // (@apidevtools/json-schema-ref-parser: required by @apidevtools/swagger-parser).
  transformIgnorePatterns: [
    '/node_modules/(?!(content-disposition|@apidevtools/json-schema-ref-parser)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
  testTimeout: 30_000,
};
