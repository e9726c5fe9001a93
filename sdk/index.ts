/** `import * as iplb from "pulumi-ovh-iplb"`: the resources and functions users import. */
export * from "./farms";
export * from "./farmServers";
export * from "./frontends";
export * from "./routes";
export * from "./routeRules";
export * from "./types";
export * from "./refresh";
export * from "./failoverIpAttachment";
export * from "./freeCertificate";
export * from "./serviceSettings";
export * from "./sslCertificate";
export * from "./vrackNetworks";
export * from "./ipFunctions";
export * from "./certificateFunctions";
export * from "./vrackFunctions";
export * from "./functions";
export * from "./loadBalancer";
