// The program: its config, then the web tier (webTier.ts). `pulumi up` runs this file; webTier.test.ts tests both.
import * as pulumi from "@pulumi/pulumi";
import { webTier } from "./webTier";

const config = new pulumi.Config();
const tier = webTier({
  serviceName: config.require("serviceName"),
  zone: "gra",
  servers: config.requireObject<{ address: string; port: number }[]>("servers"),
});

export const farmId = tier.farm.farmId;
export const serverIds = tier.servers.map((s) => s.serverId);
export const frontendId = tier.frontend.frontendId;
