package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// errorAlreadyReported is the exit code @pulumi/pulumi's cmd/run uses after it has shown the user an actionable error
// (nodeJSProcessExitedAfterLoggingUserActionableMessage in cmd/run/index.js). We then answer Bail, so the engine
// stops without adding its own "unhandled error" on top of the message the program already printed.
const errorAlreadyReported = 32

// Run executes a Pulumi program: `node [nodeargs] <cmd/run> --monitor ... <entry point> [args]`, with the program's
// output wired to ours (the engine shows it) and the program's failure reported in the response, not as an RPC error.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	prog := infoOf(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := parseOptions(prog.options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := findNode()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath := os.Getenv(runPathOverride)
	if runPath == "" {
		runPath = runModule
	}
	runPath, err = resolveModule(ctx, node, prog.dir, runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnv(req, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append(append([]string{}, opts.nodeArgs...), runPath)
	args = append(args, h.runArgs(req, prog)...)
	logging.V(5).Infof("Run: launching %s %v in %s", node, args, prog.dir)

	ctx, cancel := h.withCancel(ctx)
	defer cancel()
	return runProgram(nodeCommand(ctx, node, args, prog.dir, env)), nil
}

// runArgs builds cmd/run's command line (see `usage` in cmd/run/index.js). --pwd is the program directory: cmd/run
// changes into it and resolves the entry point from it, which is how `main: some/folder/` in Pulumi.yaml works.
// --root-directory is where Pulumi.yaml lives (PULUMI_NODEJS_ROOT_DIRECTORY, used by pulumi.getRootDirectory()).
func (h *nodeHost) runArgs(req *pulumirpc.RunRequest, prog programInfo) []string {
	var args []string
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", prog.root)
	add("stack", req.GetStack())
	add("pwd", prog.dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	add("tracing", h.tracing)
	// cmd/run stops reading flags at the first positional argument: the entry point, then the program's own args.
	args = append(args, prog.entry)
	return append(args, req.GetArgs()...)
}

// programEnv is our environment plus the stack configuration and the TypeScript settings.
func programEnv(req *pulumirpc.RunRequest, opts nodeOptions) ([]string, error) {
	cfg, err := configJSON(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	secretKeys, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	return append(env, opts.env()...), nil
}

// configJSON serializes the config as the official host does, with keys in the legacy `<namespace>:config:<name>`
// form: every @pulumi/pulumi accepts it (newer ones also accept `<namespace>:<name>`), old ones accept only it.
func configJSON(cfg map[string]string) (string, error) {
	legacy := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		legacy[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(legacy)
	return string(b), err
}

// runProgram runs the prepared command and turns its exit into a RunResponse.
func runProgram(cmd *exec.Cmd) *pulumirpc.RunResponse {
	// Node may switch its stdout/stderr to non-blocking mode; handing it our own descriptors would change them for
	// this process too (they share the open file description). Wrapping the writers makes exec use pipes instead.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	err := cmd.Run()
	code, exited := exitCode(err)
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}
	case !exited:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}
	case code == errorAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}
	case code == -1:
		// Killed by a signal: ExitCode reports -1, there is no status to show.
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", err)}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
	}
}
