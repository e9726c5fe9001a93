// Command pulumi-language-nodejs is this project's own Node.js language host for the Pulumi engine.
//
// The Go module registry refuses the official host module, so this one is written to behave like the official
// pulumi-language-nodejs of the same version for everything the engine asks of it: run programs through
// @pulumi/pulumi/cmd/run, run policy packs and plugins through cmd/run-policy-pack and cmd/run-plugin, and report the
// provider plugins found in node_modules. It never installs or downloads anything.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// engineHealthInterval is how often we check that the engine is still there, so that a host orphaned by a crashed
// CLI exits on its own instead of lingering (the official host uses the same interval).
const engineHealthInterval = 5 * time.Minute

func main() {
	cl := parseCommandLine(os.Args[1:])
	if cl.showVersion {
		fmt.Println(pluginVersion())
		return
	}
	// Picks up -v=N and --logtostderr, which the engine forwards when run with --logflow.
	logging.InitLogging(false, 0, false)
	if err := serve(cl); err != nil {
		cmdutil.Exit(err)
	}
}

// serve starts the gRPC server, announces its port on stdout (the plugin protocol: the engine reads exactly one line)
// and blocks until the server stops.
func serve(cl commandLine) error {
	// The engine stops plugins by sending SIGINT to their process group; we then stop serving gracefully, which lets
	// in-flight calls (a running program or policy pack, which got the same signal) finish first.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if cl.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, cl.engineAddress, engineHealthInterval, stop); err != nil {
			return fmt.Errorf("could not start the engine health check: %w", err)
		}
	}

	host := newHost(cl)
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("could not start the language host RPC server: %w", err)
	}

	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		return fmt.Errorf("language host RPC stopped serving: %w", err)
	}
	return nil
}
