// One jest run for every backend package. Tests import workspace packages from
// their TypeScript sources, compiled by swc (decorator metadata included for Nest).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const shared = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@stratus/(domain|eventstore|projections)$': '<rootDir>/libs/$1/src',
    '^@stratus/(domain|eventstore|projections)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^@stratus/(workflows|infra)$': '<rootDir>/$1/src',
    '^@stratus/(workflows|infra)/(.*)$': '<rootDir>/$1/src/$2',
    // The web app's server modules outside SvelteKit: $lib is its src/lib, $env/dynamic/private is process.env.
    '^\\$lib/(.*)$': '<rootDir>/apps/web/src/lib/$1',
    '^\\$env/dynamic/private$': '<rootDir>/apps/web/src/test-support/env-dynamic-private.ts',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
  // The web app's build output and SvelteKit's generated files are no modules of ours; its src/ tests run.
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/apps/web/(build|\\.svelte-kit)/'],
};
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,apps,infra,workflows}/**/src/**/*.unit.spec.ts'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,apps,infra,workflows}/**/src/**/*.{int,e2e}.spec.ts'],
      // apps/web's browser journeys run once, in the 'web' project (its unit tests run here in 'unit').
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/'],
    },
    {
      // The SvelteKit portal's plain-TypeScript modules and its browser journeys ($lib as SvelteKit resolves it).
      ...shared,
      displayName: 'web',
      testMatch: ['<rootDir>/apps/web/src/**/*.{int,e2e}.spec.ts'],
      modulePathIgnorePatterns: [
        '<rootDir>/.*/dist/',
        '<rootDir>/apps/web/build/',
        '<rootDir>/apps/web/.svelte-kit/',
      ],
      moduleNameMapper: { ...shared.moduleNameMapper, '^\\$lib/(.*)$': '<rootDir>/apps/web/src/lib/$1' },
    },
  ],
  maxWorkers: 2,
  // Integration suites talk to real PostgreSQL and spawn processes; unit tests finish far below this.
  testTimeout: 120000,
};
