#!/usr/bin/env node
// Entry point of `npx ovh-iplb-emulator` (compiled dist/emulator/cli.js, or the sources in a clone: see launch.js).
"use strict";
require("./launch")("ovh-iplb-emulator", "emulator/cli", 1).main(process.argv.slice(2));
