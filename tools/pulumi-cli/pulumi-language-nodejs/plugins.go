package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GetRequiredPackages reports the resource plugins the program's node_modules declare. This is advisory for the
// engine (it also learns plugins from the snapshot and loads providers lazily), so errors while scanning are logged
// and whatever was found is still returned, as in the official host. Nothing is ever downloaded here.
func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{Packages: findPackages(req.GetInfo().GetProgramDirectory())}, nil
}

// GetRequiredPlugins is the older form of GetRequiredPackages, for engines that still call it.
func (h *nodeHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := infoOf(req.GetInfo(), req.GetPwd(), "").dir
	var plugins []*pulumirpc.PluginDependency
	for _, p := range findPackages(dir) {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// findPackages scans, like the official host, every node_modules below the program directory; then, like Node's
// module resolution, the node_modules of its ancestors, so that a program in a subfolder of a repository (our
// examples, `main: examples/quickstart/`) sees the packages installed at the repository root.
func findPackages(programDir string) []*pulumirpc.PackageDependency {
	if programDir == "" {
		return nil
	}
	s := &packageScan{visited: map[string]bool{}, seen: map[string]bool{}}
	s.walk(programDir, false)
	for dir := filepath.Dir(programDir); ; dir = filepath.Dir(dir) {
		s.walk(filepath.Join(dir, "node_modules"), false)
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return s.found
}

type packageScan struct {
	visited map[string]bool // real paths already walked: symlinked packages can form cycles
	seen    map[string]bool // name@version already reported: hoisting and symlinks repeat packages
	found   []*pulumirpc.PackageDependency
}

// walk visits dir recursively; package.json files count only inside a node_modules tree.
func (s *packageScan) walk(dir string, inNodeModules bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil || s.visited[real] {
		return
	}
	s.visited[real] = true
	entries, err := os.ReadDir(real)
	if err != nil {
		return
	}
	childInNodeModules := inNodeModules || filepath.Base(dir) == "node_modules" || filepath.Base(real) == "node_modules"
	for _, e := range entries {
		path := filepath.Join(real, e.Name())
		// os.Stat follows symlinks (npm workspaces and `npm link` use them for packages).
		info, err := os.Stat(path)
		if err != nil {
			continue
		}
		switch {
		case info.IsDir() && !isPolicyPack(path):
			// A nested policy pack's plugins are not the program's dependencies.
			s.walk(path, childInNodeModules)
		case !info.IsDir() && inNodeModules && e.Name() == "package.json":
			s.read(path)
		}
	}
}

func isPolicyPack(dir string) bool {
	for _, name := range []string{"PulumiPolicy.yaml", "PulumiPolicy.yml", "PulumiPolicy.json"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err == nil && !info.IsDir() {
			return true
		}
	}
	return false
}

// packageJSON is the part of package.json we read; `pulumi` is the section provider SDKs write.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          struct {
		Resource  bool                  `json:"resource"`
		Name      string                `json:"name"`
		Version   string                `json:"version"`
		Server    string                `json:"server"`
		Param     *parameterizationJSON `json:"parameterization"`
		Extension *parameterizationJSON `json:"extensionParameterization"`
	} `json:"pulumi"`
}

type parameterizationJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Value   []byte `json:"value"` // base64 in the file, as encoding/json reads []byte
}

func (p *parameterizationJSON) toRPC() *pulumirpc.PackageParameterization {
	if p == nil {
		return nil
	}
	return &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
}

func (s *packageScan) read(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var pkg packageJSON
	if err := json.Unmarshal(b, &pkg); err != nil {
		// Test fixtures inside node_modules are sometimes not JSON; skip them, as the official host does.
		logging.V(3).Infof("GetRequiredPackages: skipping %s: %v", path, err)
		return
	}
	if !pkg.Pulumi.Resource {
		return
	}
	dep, err := packageDependency(pkg)
	if err != nil {
		logging.V(3).Infof("GetRequiredPackages: skipping %s: %v", path, err)
		return
	}
	if key := dep.Name + "@" + dep.Version; !s.seen[key] {
		s.seen[key] = true
		s.found = append(s.found, dep)
	}
}

// packageDependency derives the plugin from a provider SDK's package.json: the name from `pulumi.name`, else the
// package name without its @pulumi/ scope (third-party packages must set `pulumi.name`); the version from
// `pulumi.version`, else the package version, with a leading "v" as plugin versions are written.
func packageDependency(pkg packageJSON) (*pulumirpc.PackageDependency, error) {
	name := pkg.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(pkg.Name, "@pulumi/") {
			return nil, fmt.Errorf("package %q has no pulumi.name for its plugin", pkg.Name)
		}
		name = strings.TrimPrefix(pkg.Name, "@pulumi/")
	}
	version := pkg.Pulumi.Version
	if version == "" {
		version = pkg.Version
	}
	if version == "" {
		return nil, fmt.Errorf("package %q has no version", pkg.Name)
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return &pulumirpc.PackageDependency{
		Name:             name,
		Kind:             "resource",
		Version:          version,
		Server:           pkg.Pulumi.Server,
		Parameterization: pkg.Pulumi.Param.toRPC(),
		Extension:        pkg.Pulumi.Extension.toRPC(),
	}, nil
}
