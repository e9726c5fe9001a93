/**
 * A stack of the e2e program (tests/fixtures/programs/e2e) on an emulator: its credentials and service in the stack
 * config, and what it declares (`iplb-e2e:desired`) when given.
 */
import type { Emulator } from "../../../emulator";
import { Desired, E2E_PROGRAM, E2E_PROJECT } from "../../helpers/desiredState";
import { emulatorSettings } from "../../provider/support";
import { TestStack } from "./stack";

export const DESIRED = `${E2E_PROJECT}:desired`;

export function e2eStack(bin: string, emu: Emulator, desired?: Desired): Promise<TestStack> {
  return TestStack.create({
    bin,
    projectDir: E2E_PROGRAM,
    config: {
      ...emulatorSettings(emu),
      [`${E2E_PROJECT}:serviceName`]: emu.serviceName,
      ...(desired ? { [DESIRED]: JSON.stringify(desired) } : {}),
    },
  });
}
