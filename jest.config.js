/** Jest runs the TypeScript sources directly; type errors are caught by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^qapi-ts/runtime$': '<rootDir>/runtime/index.ts',
  },
  globalSetup: "<rootDir>/test/setup/global.ts",
  testTimeout: 60000,
};
