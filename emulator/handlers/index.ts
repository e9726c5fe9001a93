/** Every API family the emulator serves, in one table. Paths out of scope are listed in `../scope.ts`. */
import type { Router } from "../router";
import type { Runtime } from "../runtime";
import * as farms from "./farms";
import * as farmServers from "./farmServers";
import * as frontends from "./frontends";
import * as ip from "./ip";
import * as routes from "./routes";
import * as service from "./service";
import * as ssl from "./ssl";
import * as tasks from "./tasks";
import * as vrack from "./vrack";

export function registerRoutes(router: Router<Runtime>): Router<Runtime> {
  for (const family of [service, tasks, farms, farmServers, frontends, routes, ssl, ip, vrack]) family.register(router);
  return router;
}
