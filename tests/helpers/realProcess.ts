/**
 * The real Node `process`, as seen by providers rebuilt with require-from-string (InProcessHost).
 *
 * Such closures run in Node's outer realm, not in jest's sandbox, so `process.env.X = ...` inside a test is not
 * visible to them (shared note pulumi-dynamic-providers.md, section 2). require-from-string compiles its text with
 * Node's own Module, so `module.exports = process` hands back the outer realm's object.
 */
const requireFromString: (code: string) => any = require("require-from-string");

export const realProcess: NodeJS.Process = requireFromString("module.exports = process");

/** Sets variables on the real process for the duration of `fn`, then restores the previous values. */
export async function withRealEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, realProcess.env[k]]));
    Object.assign(realProcess.env, vars);
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(previous)) {
            if (v === undefined) delete realProcess.env[k];
            else realProcess.env[k] = v;
        }
    }
}
