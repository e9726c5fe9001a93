/** Argument checks of the functions: the rules and messages of check() (models/fields.ts), thrown as one error. */
import * as errors from "../provider/api/errors";
import * as fields from "../provider/models/fields";

export const SERVICE_NAME: fields.FieldRule = { check: fields.serviceName, required: true };

/** Throws one IplbError listing every bad argument, e.g. `getSslCertificate: id: 0 is less than 1`. */
export function checkArgs(fn: string, args: Record<string, unknown>, rules: fields.RuleTable): void {
  const failures = fields.checkFields(args, rules);
  if (failures.length > 0) throw new errors.IplbError(`${fn}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
}
