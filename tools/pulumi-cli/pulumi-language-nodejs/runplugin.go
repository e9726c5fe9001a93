package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// analyzerKind is RunPluginRequest.Kind for policy packs (apitype.AnalyzerPlugin).
const analyzerKind = "analyzer"

// pluginLaunch is a resolved plugin command line.
type pluginLaunch struct {
	node string
	args []string
	dir  string
	env  []string
}

// RunPlugin runs a plugin written in Node.js: a policy pack (the engine sends Kind "analyzer" for a folder with
// PulumiPolicy.yaml, e.g. `pulumi preview --policy-pack DIR`) or a provider/tool plugin with PulumiPlugin.yaml. Its
// stdout and stderr are streamed back (the first stdout line being its port), then its exit code.
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	out := newPluginStreams(server)
	defer out.close()

	ctx, cancel := h.withCancel(server.Context())
	defer cancel()

	launch, err := preparePlugin(ctx, req)
	if err != nil {
		return err
	}
	logging.V(5).Infof("RunPlugin(%s): launching %s %v in %s", req.GetKind(), launch.node, launch.args, launch.dir)

	var waitErr error
	if req.GetKind() == analyzerKind {
		waitErr = runPolicyPack(ctx, launch, out)
	} else {
		cmd := nodeCommand(ctx, launch.node, launch.args, launch.dir, launch.env)
		cmd.Stdout, cmd.Stderr = out.stdout(), out.stderr()
		waitErr = cmd.Run()
	}

	code, exited := exitCode(waitErr)
	if !exited {
		// It never started, or (policy packs) the proxy lost it; any output it made has already been streamed.
		return fmt.Errorf("running the plugin in %s: %w", launch.dir, waitErr)
	}
	return out.exit(code)
}

// preparePlugin resolves the @pulumi/pulumi entry script from the plugin's own directory (a policy pack uses the
// SDK its package depends on) and lays out the arguments each script expects:
//
//	cmd/run-policy-pack <engine flags...> <engine address> <pack dir>   (usage: RUN <engine-address> <program>)
//	cmd/run-plugin <plugin dir> <engine flags...> <engine address>      (usage: RUN <program>)
//
// req.Args are the engine's plugin arguments: logging/tracing flags, then its address.
func preparePlugin(ctx context.Context, req *pulumirpc.RunPluginRequest) (pluginLaunch, error) {
	prog := infoOf(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := parseOptions(prog.options)
	if err != nil {
		return pluginLaunch{}, err
	}
	node, err := findNode()
	if err != nil {
		return pluginLaunch{}, err
	}
	module := pluginModule(req.GetKind())
	script, err := resolveModule(ctx, node, prog.dir, module)
	if err != nil {
		return pluginLaunch{}, err
	}

	args := append(append([]string{}, opts.nodeArgs...), script)
	// Policy packs always ran with the pack as working directory (cmd/run-policy-pack finds tsconfig.json there);
	// other plugins run where the engine says.
	dir := req.GetPwd()
	if req.GetKind() == analyzerKind {
		args = append(append(args, req.GetArgs()...), prog.dir)
		dir = prog.dir
	} else {
		args = append(append(args, prog.dir), req.GetArgs()...)
	}
	if dir == "" {
		dir = prog.dir
	}
	return pluginLaunch{node: node, args: args, dir: dir, env: pluginEnv(req, opts)}, nil
}

func pluginModule(kind string) string {
	if kind == analyzerKind {
		return runPolicyModule
	}
	if override := os.Getenv(runPathOverride); override != "" {
		return override
	}
	return runPluginModule
}

// pluginEnv is the environment the engine chose for the plugin (it sends its whole environment, plus anything
// specific to the plugin), with our TypeScript settings added.
func pluginEnv(req *pulumirpc.RunPluginRequest, opts nodeOptions) []string {
	env := append([]string{}, req.GetEnv()...)
	if len(env) == 0 {
		env = os.Environ()
	}
	return append(env, opts.env()...)
}
