#!/usr/bin/env bash
# Provides the Pulumi CLI at the version of @pulumi/pulumi in package-lock.json, and prints the folder that holds
#   pulumi                          the CLI (the engine)
#   pulumi-language-nodejs          the Node.js language host
#   pulumi-resource-pulumi-nodejs   the dynamic-provider host's launcher, copied from the installed @pulumi/pulumi
# as the last line of its standard output (progress goes to standard error).
#
# Where the binaries come from, in order:
#   1. a `pulumi` on PATH that reports the same version (and the language host installed beside it);
#   2. a build from the Go module registry (tools/pulumi-cli), cached outside the repository in
#      ${PULUMI_OVH_IPLB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ovh-iplb}, keyed by version and by the hash of
#      tools/pulumi-cli, and reused: a second call takes a second.
# The registry serves the engine (pkg/v3) but refuses the official language host module at every version, so the
# language host built here is this project's own (tools/pulumi-cli/pulumi-language-nodejs), which starts programs
# and policy packs exactly as the official one does (see its main.go).
#
# Usage: scripts/pulumi-cli.sh [--check | --optional]
#   --check      build nothing: print the folder when everything is already there, else exit 3 with the reason.
#   --optional   as without flags, but a machine with neither the CLI nor Go is not an error (exit 0, one line why):
#                `npm test` uses it, and the engine tests then skip themselves (fail under CI=true).
# Nothing is written to the user's Pulumi home; state and PULUMI_HOME belong to whoever runs the CLI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/pulumi-cli"
CHECK_ONLY=false
OPTIONAL=false
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=true
[[ "${1:-}" == "--optional" ]] && OPTIONAL=true

say() { echo "pulumi-cli: $*" >&2; }
missing() {
  say "$1"
  exit 3
}

VERSION="$(node -p "require('$ROOT/package-lock.json').packages['node_modules/@pulumi/pulumi'].version")"
LAUNCHER="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
[[ -f "$LAUNCHER" ]] || missing "node_modules/@pulumi/pulumi is not installed: run \`npm ci\` first"

hash_of() { (cd "$TOOLS" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12); }
CACHE="${PULUMI_OVH_IPLB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ovh-iplb}"
# The engine is keyed by version and module pins only, so a change to the language host rebuilds the host alone.
ENGINE="$CACHE/engine-v$VERSION-$(hash_of go.mod go.sum)/pulumi"
BIN="$CACHE/bin-v$VERSION-$(hash_of .)"

version_of() { "$1" version 2>/dev/null | tr -d '\r' || true; }

# 1. A CLI on PATH at our version, with its own language host beside it.
on_path="$(command -v pulumi || true)"
if [[ -n "$on_path" && "$(version_of "$on_path")" == "v$VERSION" && -x "$(dirname "$on_path")/pulumi-language-nodejs" ]]; then
  BIN="$CACHE/on-path-v$VERSION"
  mkdir -p "$BIN"
  ln -sf "$on_path" "$BIN/pulumi"
  ln -sf "$(dirname "$on_path")/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
  install -m 0755 "$LAUNCHER" "$BIN/pulumi-resource-pulumi-nodejs"
  say "using the Pulumi CLI v$VERSION on PATH ($on_path)"
  echo "$BIN"
  exit 0
fi

# 2. The cached build, or a new one.
if [[ -x "$BIN/pulumi-language-nodejs" && "$(version_of "$BIN/pulumi")" == "v$VERSION" ]]; then
  install -m 0755 "$LAUNCHER" "$BIN/pulumi-resource-pulumi-nodejs"
  # Folders made by an earlier version of this script linked the engine symbolically (see the build below).
  if [[ -L "$BIN/pulumi" ]]; then ln -f "$(readlink -f "$BIN/pulumi")" "$BIN/pulumi.new" && mv -f "$BIN/pulumi.new" "$BIN/pulumi"; fi
  echo "$BIN"
  exit 0
fi
[[ "$CHECK_ONLY" == true ]] && missing "no Pulumi CLI v$VERSION found (PATH or $BIN); run scripts/pulumi-cli.sh to build it (needs Go >= 1.24 and the Go module registry)"
if ! command -v go >/dev/null && [[ "$OPTIONAL" == true ]]; then
  say "neither the Pulumi CLI v$VERSION nor Go is installed: the real-engine tests will be skipped"
  exit 0
fi
command -v go >/dev/null || missing "neither the Pulumi CLI v$VERSION nor Go is installed: install Go >= 1.24 (or the Pulumi CLI v$VERSION) and run scripts/pulumi-cli.sh again"

PKG_VERSION="$(cd "$TOOLS" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
[[ "$PKG_VERSION" == "v$VERSION" ]] || missing "tools/pulumi-cli/go.mod requires pulumi/pkg $PKG_VERSION but package-lock.json has @pulumi/pulumi $VERSION: update go.mod"
# Release flags of pulumi/pulumi's .goreleaser.yml; without the -X the CLI reports a development version.
FLAGS=(-trimpath -tags osusergo,grpcnotrace -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION")
mkdir -p "$CACHE"
TMP="$(mktemp -d "$CACHE/.build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
started=$SECONDS
# Each result is moved into place with one rename, so a concurrent or interrupted build never leaves half a folder.
if [[ "$(version_of "$ENGINE")" != "v$VERSION" ]]; then
  say "building the Pulumi CLI v$VERSION from the Go module registry (several minutes the first time)"
  (cd "$TOOLS" && CGO_ENABLED=0 go build "${FLAGS[@]}" -o "$TMP/engine/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  rm -rf "$(dirname "$ENGINE")"
  mv "$TMP/engine" "$(dirname "$ENGINE")"
fi
say "building the Node.js language host (tools/pulumi-cli/pulumi-language-nodejs)"
(cd "$TOOLS" && CGO_ENABLED=0 go build "${FLAGS[@]}" -o "$TMP/bin/pulumi-language-nodejs" ./pulumi-language-nodejs)
# A hard link, not a symlink: the CLI looks for its plugins beside its resolved path, and warns on each command when
# it finds them on PATH instead.
ln "$ENGINE" "$TMP/bin/pulumi" 2>/dev/null || cp "$ENGINE" "$TMP/bin/pulumi"
install -m 0755 "$LAUNCHER" "$TMP/bin/pulumi-resource-pulumi-nodejs"
rm -rf "$BIN"
mv "$TMP/bin" "$BIN"
say "ready in $((SECONDS - started)) s: pulumi $(du -sh "$ENGINE" | cut -f1), language host $(du -sh "$BIN/pulumi-language-nodejs" | cut -f1), in $BIN"
echo "$BIN"
