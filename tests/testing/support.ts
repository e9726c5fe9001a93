/**
 * The kit's tests start their environments through `startTestEnvironment`, as a user's test does, and have every
 * request the emulator receives judged by the official schema (tests/helpers/schemaReferee.ts), as the other suites do.
 */
import { type EmulatorOptions, type IplbTestEnvironment, startTestEnvironment } from "../../testing";
import { violationReport, watchEmulator } from "../helpers/schemaReferee";

/** A kit environment whose `close()` also fails with the schema violations not yet reported by refereeSetup.ts. */
export async function startRefereed(options: EmulatorOptions = {}): Promise<IplbTestEnvironment> {
  const env = await startTestEnvironment(options);
  const referee = watchEmulator(env.emulator);
  const close = env.close.bind(env);
  Object.defineProperty(env, "close", {
    value: async () => {
      await close();
      const violations = referee.stop();
      if (violations.length > 0) throw new Error(violationReport(violations, "to this emulator"));
    },
  });
  return env;
}

/** An HTTP farm of the environment's service in `zone`, created with the official client (as the console would). */
export async function farmOutOfBand(env: IplbTestEnvironment, body: Record<string, unknown> = {}): Promise<number> {
  const farm = (await env.ovhClient().requestPromised("POST", `/ipLoadbalancing/${env.serviceName}/http/farm`, { zone: "gra", ...body })) as { farmId: number };
  return farm.farmId;
}
