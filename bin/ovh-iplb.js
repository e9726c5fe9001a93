#!/usr/bin/env node
// Entry point of `npx ovh-iplb` (compiled dist/cli/main.js, or the sources in a clone: see launch.js).
"use strict";
const cli = require("./launch")("ovh-iplb", "cli/main", 2);

// Exit at once: the HTTPS agent keeps idle connections open for a few seconds (stdout and stderr are synchronous on
// Linux for files, pipes and terminals, so nothing written is lost).
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`ovh-iplb: ${err && err.message ? err.message : err}\n`);
    process.exit(2);
  },
);
