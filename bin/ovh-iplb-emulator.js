#!/usr/bin/env node
// Entry point of `npx ovh-iplb-emulator`. A published package runs the compiled dist/emulator/cli.js; a clone
// without a build runs the TypeScript sources through ts-node (a devDependency), type checks off for speed.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "emulator", "cli.js");

let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  try {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  } catch (err) {
    process.stderr.write(
      "ovh-iplb-emulator: no build found (dist/emulator/cli.js) and ts-node is not installed.\n" +
        "Run `npm run build`, or `npm install` in the clone to get ts-node.\n",
    );
    process.exit(1);
  }
  cli = require(path.join(root, "emulator", "cli.ts"));
}
cli.main(process.argv.slice(2));
