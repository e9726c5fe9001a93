import type { Router } from "../router";
import type { Runtime } from "../runtime";

export function register(router: Router<Runtime>): void {
  void router;
}
