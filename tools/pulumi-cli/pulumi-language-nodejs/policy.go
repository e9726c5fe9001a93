package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runPolicyPack starts a Node.js policy pack behind the SDK's PolicyProxy, as the official host does.
//
// Why a proxy: the engine configures an analyzer over gRPC (ConfigureStack) only once it has connected to it, but
// @pulumi/policy and the policies read the stack, project, organization, dry-run flag and config from environment
// variables as the pack starts. So the proxy announces its own port to the engine, receives ConfigureStack, and only
// then is node started with that configuration in its environment; the proxy reads the pack's port from its stdout,
// forwards ConfigureStack to it and relays every later call.
//
// It returns like cmd.Wait: nil or an *exec.ExitError once the pack exits, any other error if it could not run.
func runPolicyPack(ctx context.Context, launch pluginLaunch, out *pluginStreams) error {
	proxy, packStdout, err := sdk.NewPolicyProxy(ctx, out.stdout())
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	stack, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	env, err := policyEnv(launch.env, stack)
	if err != nil {
		return err
	}

	cmd := nodeCommand(ctx, launch.node, launch.args, launch.dir, env)
	cmd.Stdout, cmd.Stderr = packStdout, out.stderr()
	if err := cmd.Start(); err != nil {
		return err
	}
	// Attach waits for the pack to exit. If the pack dies before printing its port (a TypeScript error, say), its
	// stderr has already been streamed to the engine and Attach's error explains the rest.
	return proxy.Attach(ctx, cmd)
}

// policyEnv adds the stack information the engine gave in ConfigureStack, under the variable names the engine
// itself uses when it starts a policy pack without a language host (plugin.constructEnv): the PULUMI_NODEJS_*
// names the Node.js SDK reads today and the generic PULUMI_* ones. A nil configuration (the engine asked for the
// pack's info before configuring it, e.g. `pulumi policy publish`) adds nothing. Later entries win in os/exec.
func policyEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil
	}
	env = append([]string{}, env...)
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	for _, prefix := range []string{"PULUMI_NODEJS_", "PULUMI_"} {
		add(prefix+"ORGANIZATION", stack.GetOrganization())
		add(prefix+"PROJECT", stack.GetProject())
		add(prefix+"STACK", stack.GetStack())
		add(prefix+"DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
	}
	if cfg := stack.GetConfig(); cfg != nil {
		b, err := json.Marshal(cfg)
		if err != nil {
			return nil, fmt.Errorf("could not serialize the stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(b))
	}
	if keys := stack.GetConfigSecretKeys(); len(keys) > 0 {
		b, err := json.Marshal(keys)
		if err != nil {
			return nil, fmt.Errorf("could not serialize the secret configuration keys: %w", err)
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(b))
	}
	return env, nil
}
