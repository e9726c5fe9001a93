/** `import * as iplb from "pulumi-ovh-iplb"`: the resources and functions users import. */
export * from "./farms";
export * from "./farmServers";
export * from "./types";
export * from "./refresh";
