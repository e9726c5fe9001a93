/**
 * Provider settings (provider/config.ts): the keys and variables, their precedence, and errors that name the setting
 * and what is allowed but never echo a value: a secret put in the wrong variable must not reach a log.
 */
import { lookupFrom, parseEndpoint, resolveConfig } from "../../provider/config";

const SECRET = "Zk3Qv9sEcReT0w1xYzAbCdEf";
const CREDENTIALS = { "ovh:applicationKey": "ak", "ovh:applicationSecret": "as", "ovh:consumerKey": "ck" };
const lookup = (config: Record<string, string>, env: NodeJS.ProcessEnv = {}) => lookupFrom({ get: (k) => config[k] }, env);
const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("settings", () => {
  it("take the stack config first, then the OVH_* variables, an empty value counting as unset", () => {
    const config = resolveConfig(lookup({ ...CREDENTIALS, "ovh:consumerKey": "" }, { OVH_CONSUMER_KEY: "from-env", OVH_ENDPOINT: "ovh-ca" }));
    expect(config).toMatchObject({ applicationKey: "ak", consumerKey: "from-env", endpoint: { kind: "preset", name: "ovh-ca" } });
  });

  it("read an endpoint URL as host, port and base path", () => {
    expect(parseEndpoint("https://127.0.0.1:8443/1.0/")).toEqual({ kind: "url", host: "127.0.0.1", port: 8443, basePath: "/1.0" });
    expect(parseEndpoint("https://api.example.net")).toEqual({ kind: "url", host: "api.example.net", port: 443, basePath: "/1.0" });
  });

  it("name every missing credential by key and variable", () => {
    expect(failure(() => resolveConfig(lookup({})))).toBe(
      "OVH credentials are missing: set ovh:applicationKey (or OVH_APPLICATION_KEY), ovh:applicationSecret (or OVH_APPLICATION_SECRET), " +
        "ovh:consumerKey (or OVH_CONSUMER_KEY). Use `pulumi config set --secret` for the secret ones.",
    );
  });
});

describe("a bad setting", () => {
  it("never echoes the value: a secret put in ovh:endpoint by mistake", () => {
    const message = failure(() => parseEndpoint(SECRET));
    expect(message).toBe(
      "ovh:endpoint: the value is neither an endpoint name (ovh-eu, ovh-ca, ovh-us, sys-eu, sys-ca, soyoustart-eu, soyoustart-ca, ks-eu, " +
        "ks-ca, kimsufi-eu, kimsufi-ca) nor an https:// URL (the value is not shown: it could be a secret)",
    );
  });

  it("shows a URL by scheme and host only: never its user info, path or query", () => {
    const message = failure(() => parseEndpoint(`http://user:${SECRET}@api.example.net:8080/1.0?token=${SECRET}`));
    expect(message).toBe("ovh:endpoint: http://api.example.net must use https:// (the ovh client speaks HTTPS only)");
  });

  it("refuses a URL with user info, which the client would ignore", () => {
    expect(failure(() => parseEndpoint(`https://${SECRET}@api.example.net/1.0`))).toBe(
      "ovh:endpoint: https://api.example.net carries a user name or password, which the ovh client ignores; put credentials in ovh:applicationKey, ovh:applicationSecret and ovh:consumerKey",
    );
  });

  it("names a bad duration without echoing it", () => {
    const message = failure(() => resolveConfig(lookup({ ...CREDENTIALS, "ovh-iplb:taskTimeoutSeconds": SECRET })));
    expect(message).toBe("ovh-iplb:taskTimeoutSeconds: the value is not a positive number of seconds (e.g. 600)");
    expect(failure(() => resolveConfig(lookup({ ...CREDENTIALS, "ovh-iplb:retryBaseMs": SECRET })))).toBe(
      "ovh-iplb:retryBaseMs: the value is not a positive number of milliseconds (e.g. 500)",
    );
  });
});
