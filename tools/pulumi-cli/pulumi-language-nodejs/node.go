package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Modules of @pulumi/pulumi that start the different kinds of Node.js processes.
const (
	runModule        = "@pulumi/pulumi/cmd/run"
	runPluginModule  = "@pulumi/pulumi/cmd/run-plugin"
	runPolicyModule  = "@pulumi/pulumi/cmd/run-policy-pack"
	runPathOverride  = "PULUMI_LANGUAGE_NODEJS_RUN_PATH" // honoured like the official host (used by its tests)
	interruptTimeout = 5 * time.Second
)

// resolveScript prints where a module resolves, or a short reason on stderr. The module name is passed as an
// argument (process.argv[1] under -e) so that nothing has to be quoted into the script. It is one line because
// some node shims (Volta on Windows) mangle multi-line -e scripts.
const resolveScript = `try { console.log(require.resolve(process.argv[1])); } catch (e) { ` +
	`console.error(e.code === 'MODULE_NOT_FOUND' ? 'Cannot find module ' + process.argv[1] : e.message); ` +
	`process.exit(1); }`

func findNode() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	return node, nil
}

// resolveModule finds a module exactly as Node would from dir (node_modules of dir and its ancestors, symlinks
// resolved), by asking node itself rather than reimplementing the resolution algorithm.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", resolveScript, module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("%s from %s: %s. It looks like the Pulumi SDK has not been installed; "+
				"run `npm ci` (or npm install) first", module, dir, strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", fmt.Errorf("could not run node to locate %s: %w", module, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// nodeVersion returns node's version without the leading "v", e.g. "20.20.2".
func nodeVersion(ctx context.Context, node string) (string, error) {
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("could not run %s --version: %w", node, err)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "v"), nil
}

// nodeCommand prepares node with the given arguments, bound to ctx. When ctx ends the child first gets SIGINT, which
// the Node SDK handles by shutting down cleanly; if it is still running interruptTimeout later it is killed. The
// child stays in our process group, so the engine's own group-wide SIGINT/SIGKILL of this host reaches it too.
func nodeCommand(ctx context.Context, node string, args []string, dir string, env []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Cancel = func() error {
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = interruptTimeout
	return cmd
}

// exitCode extracts the exit status from cmd.Wait's error; ok is false when the process did not run or exit
// normally (it could not start, or an I/O error happened).
func exitCode(err error) (code int, ok bool) {
	if err == nil {
		return 0, true
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), true
	}
	return -1, false
}
