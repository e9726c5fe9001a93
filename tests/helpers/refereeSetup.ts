/**
 * Jest setup (setupFilesAfterEnv): after each test, the requests answered so far by this file's emulators are judged
 * by the official schema (schemaReferee.ts), and the test fails listing what the schema refuses. Requests sent by a
 * file's own `afterAll` cleanup come after these hooks (jest runs a level's `afterAll` hooks in declaration order, the
 * setup file's first), so closing an emulator (tests/helpers/emulator.ts) reports those.
 */
import { schemaDecision } from "./openapi";
import { drainViolations, violationReport } from "./schemaReferee";

// Under CI=true missing schemas fail the file here instead of turning the referee off (cheap: two existsSync).
beforeAll(() => void schemaDecision());

afterEach(() => {
  const violations = drainViolations();
  if (violations.length > 0) throw new Error(violationReport(violations, "during this test or the hooks before it"));
});

afterAll(() => {
  const violations = drainViolations();
  if (violations.length > 0) throw new Error(violationReport(violations, "after the last test"));
});
