/**
 * The provider with scoped consumer keys (the emulator's `consumerKeys`), each holding every rule of
 * provider/accessRules.ts but one: the call that needs the missing rule fails, and its error names that rule and the
 * command that prints them all. A create reads before it writes, so a key without the GET rule fails before any write,
 * and one without the POST rule fails at the POST, which writes nothing; a missing refresh rule can only be met after the
 * write (no API tells a key's rules beforehand: node-ovh cannot sign `/auth/currentCredential`), and says so.
 * Refused credentials name the setting to check. No error carries a credential.
 * Not proven here: the real API's answers (the emulator's are ovh-iplb-api.md section 2's).
 */
import { accessRules, formatRule } from "../../provider/accessRules";
import { CREDENTIALS_HINT } from "../../provider/providers/credentialsHint";
import { DEFAULT_SERVICE } from "../../emulator/seed";
import type { ScopedConsumerKey } from "../../emulator";
import type { Emulator } from "../helpers/emulator";
import { configured, failureOf, Kind, mark, Provider, stagedFarms, withEmulator, writesSince } from "./support";

const SVC = DEFAULT_SERVICE;
const FAST = { "ovh-iplb:retryBaseMs": "20" };
const PROVIDER_TEXT = "exports.handler = __shim;";

/** A key with every rule the package needs but `missing`. */
function without(consumerKey: string, missing: string): ScopedConsumerKey {
  const rules = accessRules(SVC);
  if (!rules.some((r) => formatRule(r) === missing)) throw new Error(`no rule ${missing} in the list`);
  return { consumerKey, accessRules: rules.filter((r) => formatRule(r) !== missing) };
}

const NO_READS = "ck-acl-no-reads-0001";
const NO_FARM_POST = "ck-acl-no-farm-post-0002";
const NO_REFRESH = "ck-acl-no-refresh-0003";
const NO_MOVE = "ck-acl-no-move-0004";
const EXPIRED = "ck-acl-expired-0005";
const KEYS: ScopedConsumerKey[] = [
  without(NO_READS, `GET /ipLoadbalancing/${SVC}/*`),
  without(NO_FARM_POST, `POST /ipLoadbalancing/${SVC}/*/farm`),
  without(NO_REFRESH, `POST /ipLoadbalancing/${SVC}/refresh`),
  without(NO_MOVE, "POST /ip/*/move"),
  { consumerKey: EXPIRED, state: "expired", accessRules: accessRules(SVC) },
];

let emu: Emulator;
const started = withEmulator({ refreshSeconds: 0.05, ipTaskSeconds: 0.05, consumerKeys: KEYS }, (s) => {
  emu = s.emu;
});
const withKey = (kind: Kind, consumerKey: string, more: Record<string, string> = {}): Promise<Provider> =>
  configured(kind, started().emu, { ...FAST, "ovh:consumerKey": consumerKey, ...more });

/** Every error the tests got, with what it carries, for the final credential check. */
const seen: string[] = [];
async function failed(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const e = await failureOf(p);
  seen.push(e.message, String(e.stack), JSON.stringify({ ...e }));
  return e;
}

const hint = (rule: string) =>
  `The consumer key (ovh:consumerKey or OVH_CONSUMER_KEY) lacks the access rule ${rule}; request a key that has it: ` +
  `\`ovh-iplb access-rules ${SVC}\` prints every rule this package needs and the POST /auth/credential body that requests them`;

describe("a scoped key missing a rule", () => {
  it("without the GET rule: the create fails at its first call, naming the rule, before anything is written", async () => {
    const farm = await withKey("HttpFarm", NO_READS);
    const from = mark(emu);
    const e = await failed(farm.create({ serviceName: SVC, zone: "gra", displayName: "no reads" }));
    expect(e.message).toBe(`OVH API GET /ipLoadbalancing/${SVC}/http/farm failed: 403 This call has not been granted. ${hint(`GET /ipLoadbalancing/${SVC}/*`)}`);
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("without the POST rule: the create fails at the POST, which wrote nothing, naming the POST rule", async () => {
    const farm = await withKey("TcpFarm", NO_FARM_POST);
    const from = mark(emu);
    const e = await failed(farm.create({ serviceName: SVC, zone: "gra", displayName: "no post" }));
    expect(e.message).toBe(`OVH API POST /ipLoadbalancing/${SVC}/tcp/farm failed: 403 This call has not been granted. ${hint(`POST /ipLoadbalancing/${SVC}/*/farm`)}`);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 403"]);
    expect(stagedFarms(emu, "tcp").filter((f) => f.displayName === "no post")).toEqual([]);
  });

  it("without the refresh rule: the farm is written (that cannot be known before), the error keeps its id and names the rule", async () => {
    const farm = await withKey("HttpFarm", NO_REFRESH);
    const e = await failed(farm.create({ serviceName: SVC, zone: "gra", displayName: "no refresh" }));
    expect(e.name).toBe("ResourceInitError");
    expect(e.message).toMatch(new RegExp(`^HttpFarm ${SVC}/\\d+ was created but is not live yet: OVH API POST /ipLoadbalancing/${SVC}/refresh failed: 403 This call has not been granted`));
    expect(e.message.endsWith(` will apply it. ${hint(`POST /ipLoadbalancing/${SVC}/refresh`)}`)).toBe(true);
  });

  it("without the /ip move rule: the attachment fails at the move, naming the rule and the service from its inputs", async () => {
    const attachment = await withKey("FailoverIpAttachment", NO_MOVE);
    const from = mark(emu);
    const e = await failed(attachment.create({ serviceName: SVC, ip: "203.0.113.10", __provider: PROVIDER_TEXT }));
    expect(e.message).toBe(`OVH API POST /ip/203.0.113.10%2F32/move failed: 403 This call has not been granted. ${hint("POST /ip/*/move")}`);
    expect(writesSince(emu, from).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST /ip/203.0.113.10%2F32/move 403`]);
    expect(emu.store.ip("203.0.113.10/32")?.data.routedTo).toEqual({ serviceName: null });
  });
});

describe("refused credentials", () => {
  it("an expired key: the error says which setting to check and how to get a new key", async () => {
    const farm = await withKey("HttpFarm", EXPIRED);
    const from = mark(emu);
    const e = await failed(farm.read(`${SVC}/1`, {}));
    expect(e.message).toBe(`OVH API GET /ipLoadbalancing/${SVC}/http/farm/1 failed: 403 This credential is not valid. ${CREDENTIALS_HINT}`);
    expect(CREDENTIALS_HINT).toContain('"This credential is not valid": the consumer key (ovh:consumerKey or OVH_CONSUMER_KEY) expired or was never validated');
    expect(CREDENTIALS_HINT).toContain("`ovh-iplb access-rules <serviceName>`");
    expect(writesSince(emu, from)).toEqual([]);
  });

  it("an unknown application key: the error names ovh:applicationKey and OVH_APPLICATION_KEY", async () => {
    const farm = await configured("HttpFarm", emu, { ...FAST, "ovh:applicationKey": "ak-not-the-real-one-0006" });
    const e = await failed(farm.read(`${SVC}/1`, {}));
    expect(e.message).toBe(`OVH API GET /ipLoadbalancing/${SVC}/http/farm/1 failed: 403 Invalid application key. ${CREDENTIALS_HINT}`);
    expect(CREDENTIALS_HINT).toContain('"Invalid application key": ovh:applicationKey or OVH_APPLICATION_KEY');
  });

  it("never puts a credential in a message, a stack or a property", () => {
    const secrets = [emu.applicationSecret, emu.applicationKey, emu.consumerKey, ...KEYS.map((k) => k.consumerKey), "ak-not-the-real-one-0006"];
    expect(seen).toHaveLength(3 * 6); // the 6 errors of the tests above
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
