#!/usr/bin/env node
// Entry point of `npx ovh-iplb`. A published package runs the compiled dist/cli/main.js; a clone without a build runs
// the TypeScript sources through ts-node (a devDependency), type checks off for speed.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "cli", "main.js");

let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  try {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  } catch (err) {
    process.stderr.write(
      "ovh-iplb: no build found (dist/cli/main.js) and ts-node is not installed.\n" +
        "Run `npm run build`, or `npm install` in the clone to get ts-node.\n",
    );
    process.exit(2);
  }
  cli = require(path.join(root, "cli", "main.ts"));
}
// Exit at once: the HTTPS agent keeps idle connections open for a few seconds (stdout and stderr are synchronous on
// Linux for files, pipes and terminals, so nothing written is lost).
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`ovh-iplb: ${err && err.message ? err.message : err}\n`);
    process.exit(2);
  },
);
