/**
 * Two jest projects: `unit` (everything but the real engine: models, providers, emulator, host, programs under the
 * test engine) and `engine` (tests/engine: real `pulumi` commands against the emulator; `npm run test:engine`).
 * Tests compile with tsc semantics (ts-jest), never esbuild/swc: the serialized provider text must be what ts-node
 * produces under `pulumi up`.
 */
const common = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: false, diagnostics: false }] },
  moduleNameMapper: {
    "^pulumi-ovh-iplb$": "<rootDir>/sdk",
    "^pulumi-ovh-iplb/emulator$": "<rootDir>/emulator",
    "^pulumi-ovh-iplb/testing$": "<rootDir>/testing",
  },
  modulePathIgnorePatterns: ["<rootDir>/dist", "<rootDir>/examples/.*/node_modules"],
};

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/totalsReporter.js"],
  projects: [
    // refereeSetup: every request an emulator of the file receives is judged by the official schema (tests/helpers/schemaReferee.ts).
    // examples/unit-test is a user's own unit test of a program under setMocks (no emulator, no CLI), run here too.
    { ...common, displayName: "unit", roots: ["<rootDir>/tests", "<rootDir>/examples/unit-test"], testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/engine/"], setupFilesAfterEnv: ["<rootDir>/tests/helpers/refereeSetup.ts"] },
    // Each `pulumi` command starts the CLI, the program and the dynamic-provider host: minutes per suite, not seconds.
    // examples/traffic-test and examples/integration-test are a user's own tests of a stack (the real CLI through the
    // Automation API, with pulumi-ovh-iplb/testing), run here too.
    { ...common, displayName: "engine", roots: ["<rootDir>/tests/engine", "<rootDir>/examples/traffic-test", "<rootDir>/examples/integration-test"], setupFilesAfterEnv: ["<rootDir>/tests/engine/support/timeout.ts", "<rootDir>/tests/helpers/refereeSetup.ts"] },
  ],
};
