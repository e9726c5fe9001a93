package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GetProgramDependencies lists the program's direct dependencies (`pulumi about`): those of the nearest package.json
// at or above the program directory, each with the version installed in node_modules (as Node would resolve it
// from there), or the declared range when it is not installed. The official host asks npm/yarn instead; reading the
// files gives the same answer for direct dependencies without running a package manager. Transitive dependencies
// are not listed.
func (h *nodeHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := infoOf(req.GetInfo(), req.GetPwd(), "").dir
	manifest, pkg, ok := nearestPackageJSON(dir)
	if !ok {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	declared := map[string]string{}
	for name, spec := range pkg.DevDependencies {
		declared[name] = spec
	}
	for name, spec := range pkg.Dependencies {
		declared[name] = spec
	}
	names := make([]string, 0, len(declared))
	for name := range declared {
		names = append(names, name)
	}
	sort.Strings(names)

	deps := make([]*pulumirpc.DependencyInfo, 0, len(names))
	for _, name := range names {
		v := installedVersion(filepath.Dir(manifest), name)
		if v == "" {
			v = declared[name]
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// nearestPackageJSON finds the package.json that owns dir, as cmd/run does to find the program's package.
func nearestPackageJSON(dir string) (string, packageJSON, bool) {
	for d := dir; d != ""; d = filepath.Dir(d) {
		path := filepath.Join(d, "package.json")
		if pkg, ok := readPackageJSON(path); ok {
			return path, pkg, true
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return "", packageJSON{}, false
}

// installedVersion returns the version of the package name that Node would load from dir, or "".
func installedVersion(dir, name string) string {
	for d := dir; d != ""; d = filepath.Dir(d) {
		if pkg, ok := readPackageJSON(filepath.Join(d, "node_modules", name, "package.json")); ok {
			return pkg.Version
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return ""
}

func readPackageJSON(path string) (packageJSON, bool) {
	var pkg packageJSON
	b, err := os.ReadFile(path)
	if err != nil {
		return pkg, false
	}
	return pkg, json.Unmarshal(b, &pkg) == nil
}
