/** Tests compile with tsc semantics (ts-jest), never esbuild/swc: the serialized provider text must be what ts-node produces under `pulumi up`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: false, diagnostics: false }] },
  moduleNameMapper: {
    "^pulumi-ovh-iplb$": "<rootDir>/sdk",
    "^pulumi-ovh-iplb/emulator$": "<rootDir>/emulator",
  },
  modulePathIgnorePatterns: ["<rootDir>/dist", "<rootDir>/examples/.*/node_modules"],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/totalsReporter.js"],
};
