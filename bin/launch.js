// Shared by the package's bins: a published package runs the compiled file under dist/; a clone without a build runs
// the TypeScript sources through ts-node (a devDependency), type checks off for speed.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");

/** Loads `<module>` (e.g. "emulator/cli") from dist/ when built, else from the sources; exits with `failCode` if neither. */
module.exports = function load(command, module, failCode) {
  const compiled = path.join(root, "dist", `${module}.js`);
  if (fs.existsSync(compiled)) return require(compiled);
  try {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  } catch (err) {
    process.stderr.write(
      `${command}: no build found (dist/${module}.js) and ts-node is not installed.\n` +
        "Run `npm run build`, or `npm install` in the clone to get ts-node.\n",
    );
    process.exit(failCode);
  }
  return require(path.join(root, `${module}.ts`));
};
