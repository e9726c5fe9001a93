import type { HealthView, Runtime } from "./runtime";

export function createHealth(rt: Runtime): HealthView {
  void rt;
  return { serverState: () => [], sync: () => undefined, close: () => undefined };
}
