/**
 * `npx ovh-iplb access-rules <serviceName>`: the access rules a consumer key needs for this package on one load
 * balancer (provider/accessRules.ts, the one list), one `METHOD path` per line with what needs it, then the body of
 * `POST /auth/credential` that requests such a key (ovh-iplb-api.md 1.5). Calls no API and reads no credential.
 *
 * Exit codes: 0 printed; 2 bad arguments (the usage follows), as `ovh-iplb status`.
 */
import { parseArgs } from "util";
import { type AccessRule, accessRules, credentialRequest, formatRule, ruleGroups } from "../provider/accessRules";
import { SERVICE_NAME_PATTERN } from "../provider/models/fields";
import type { Io } from "./main";

export const ACCESS_RULES_USAGE = `Usage: ovh-iplb access-rules <serviceName> [options]

Prints the access rules a consumer key needs for pulumi-ovh-iplb on the load balancer <serviceName>, one
"METHOD path" per line ("*" matches any run of characters) with what needs it, then the JSON body of
POST /auth/credential that requests a key with exactly these rules.

  --read-only            only what the functions and \`ovh-iplb status\` need (GET only)
  --redirection URL      where OVH sends the browser once the key is validated (https://...), added to the body
  -h, --help             show this help

Exit codes: 0 printed, 2 bad arguments.`;

export interface AccessRulesOptions {
  serviceName: string;
  readOnly: boolean;
  redirection?: string;
}

/** argv after `access-rules` -> options; throws an Error naming the wrong argument and what is allowed. */
export function parseAccessRulesArgs(argv: string[]): { help: true } | { help: false; options: AccessRulesOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { "read-only": { type: "boolean" }, redirection: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new Error(`unexpected argument: ${positionals[1]}`);
  const serviceName = positionals[0];
  if (serviceName === undefined) throw new Error("a service name is required: ovh-iplb access-rules <serviceName>");
  if (!SERVICE_NAME_PATTERN.test(serviceName)) {
    throw new Error(`"${serviceName}" is not a service name (letters, digits, "-", "_" and ".", not starting with "."; e.g. loadbalancer-ab12cd34)`);
  }
  const redirection = values.redirection;
  if (redirection !== undefined && !/^https?:\/\/\S+$/.test(redirection)) throw new Error(`--redirection must be an http(s) URL, got "${redirection}"`);
  return { help: false, options: { serviceName, readOnly: values["read-only"] === true, redirection } };
}

/** The printed text: the legend, the rules with the groups that need each, the request. */
export function renderAccessRules(options: AccessRulesOptions): string {
  const groups = ruleGroups(options.serviceName, { readOnly: options.readOnly });
  const rules: AccessRule[] = accessRules(options.serviceName, { readOnly: options.readOnly });
  const width = Math.max(...rules.map((r) => formatRule(r).length));
  const neededBy = (rule: AccessRule) => groups.filter((g) => g.rules.some((r) => formatRule(r) === formatRule(rule))).map((g) => g.id);
  return [
    `# Access rules for pulumi-ovh-iplb on ${options.serviceName}${options.readOnly ? " (read-only)" : ""}; "*" matches any run of characters.`,
    ...groups.map((g) => `#   ${g.id}: ${g.usedBy}`),
    ...rules.map((r) => `${formatRule(r).padEnd(width)}  # ${neededBy(r).join(", ")}`),
    "#",
    "# To request a key with these rules, POST the line below to <endpoint>/1.0/auth/credential with your application key,",
    "# e.g. for ovh-eu (the body saved in body.json):",
    '#   curl -X POST -H "X-Ovh-Application: $OVH_APPLICATION_KEY" -H "Content-Type: application/json" \\',
    "#     -d @body.json https://eu.api.ovh.com/1.0/auth/credential",
    "# then open the answer's validationUrl, and set its consumerKey as ovh:consumerKey (or OVH_CONSUMER_KEY).",
    JSON.stringify(credentialRequest(rules, options.redirection)),
  ].join("\n") + "\n";
}

/** Runs `ovh-iplb access-rules ...` and returns the exit code. */
export function accessRulesMain(argv: string[], io: Pick<Io, "stdout" | "stderr">): number {
  let parsed: ReturnType<typeof parseAccessRulesArgs>;
  try {
    parsed = parseAccessRulesArgs(argv);
  } catch (e) {
    io.stderr.write(`ovh-iplb: ${(e as Error).message}\n\n${ACCESS_RULES_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(ACCESS_RULES_USAGE + "\n");
    return 0;
  }
  io.stdout.write(renderAccessRules(parsed.options));
  return 0;
}
