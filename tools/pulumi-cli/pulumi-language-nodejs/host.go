package main

import (
	"context"
	"strings"
	"sync"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// fallbackVersion is reported when the build did not stamp version.Version (scripts/pulumi-cli.sh stamps it with
// -X); it is the @pulumi/pulumi version this host was written against.
const fallbackVersion = "3.248.0"

// nodeHost implements the LanguageRuntime service. Methods it does not implement (code generation, packing, linking,
// templates) answer Unimplemented through the embedded type; the engine tolerates that for everything a deployment
// or a policy pack needs.
type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu            sync.Mutex
	engineAddress string
	rootDir       string
	programDir    string

	// cancelled ends every program and plugin we started when the engine calls Cancel.
	cancelled context.Context
	cancel    context.CancelFunc
}

func newHost(cl commandLine) *nodeHost {
	ctx, cancel := context.WithCancel(context.Background())
	return &nodeHost{
		tracing:       cl.tracing,
		engineAddress: cl.engineAddress,
		rootDir:       cl.root,
		cancelled:     ctx,
		cancel:        cancel,
	}
}

func pluginVersion() string {
	if v := strings.TrimPrefix(version.Version, "v"); v != "" {
		return v
	}
	return fallbackVersion
}

// engine returns the engine address: from the command line, or from Handshake when the engine attached to us.
func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is only sent when the engine attaches to an already running host (PULUMI_DEBUG_LANGUAGES); we then learn
// the engine address here instead of from the command line.
func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	if req.RootDirectory != nil {
		h.rootDir = req.GetRootDirectory()
	}
	if req.ProgramDirectory != nil {
		h.programDir = req.GetProgramDirectory()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
}

// Cancel is the engine asking us to shut down: running programs and plugins are interrupted (see nodeCommand).
func (h *nodeHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// About reports the node binary and its version (`pulumi about`).
func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := findNode()
	if err != nil {
		return nil, err
	}
	v, err := nodeVersion(ctx, node)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: v}, nil
}

// InstallDependencies deliberately installs nothing: this project's programs and policy pack resolve their packages
// from the repository's node_modules (installed by `npm ci`), and the host must never reach the network.
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, _ pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	logging.V(5).Infof("InstallDependencies(%s): skipped, this host never installs packages",
		req.GetInfo().GetProgramDirectory())
	return nil
}

// withCancel derives a context for a child process that ends when either the request ends (the engine cancelled the
// call or went away) or the engine called Cancel.
func (h *nodeHost) withCancel(req context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(h.cancelled)
	stop := context.AfterFunc(req, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}
