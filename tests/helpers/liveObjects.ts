/**
 * Live farms and servers for health tests, created through the provider implementations (as `pulumi up` would), so
 * that each is refreshed and probed by the emulator when the call returns.
 */
import type { Emulator } from "./emulator";
import { configured, emulatorSettings, Kind, Props, Provider } from "../provider/support";
import * as functions from "../../reads/health";

export class LiveObjects {
  private readonly providers = new Map<Kind, Promise<Provider>>();

  constructor(private readonly emu: Emulator) {}

  private provider(kind: Kind): Promise<Provider> {
    if (!this.providers.has(kind)) this.providers.set(kind, configured(kind, this.emu));
    return this.providers.get(kind)!;
  }

  /** Creates a farm in `gra` (unless `args.zone` says otherwise); returns its id. */
  async farm(kind: "HttpFarm" | "TcpFarm", args: Props = {}): Promise<number> {
    const { outs } = await (await this.provider(kind)).create({ serviceName: this.emu.serviceName, zone: "gra", ...args });
    return outs.farmId as number;
  }

  /** Creates an active, probed server (unless `args` says otherwise); returns the provider's id and outputs. */
  async server(kind: "HttpFarmServer" | "TcpFarmServer", farmId: number, args: Props): Promise<{ id: string; outs: Props; serverId: number }> {
    const { id, outs } = await (await this.provider(kind)).create({ serviceName: this.emu.serviceName, farmId, status: "active", probe: true, ...args });
    return { id, outs, serverId: outs.serverId as number };
  }

  serverProvider(kind: "HttpFarmServer" | "TcpFarmServer"): Promise<Provider> {
    return this.provider(kind);
  }
}

/** An API client with the emulator's settings, for reading health in tests. */
export function apiFor(emu: Emulator) {
  const settings = emulatorSettings(emu);
  return functions.clientFor({ get: (key) => settings[key] }, {});
}
