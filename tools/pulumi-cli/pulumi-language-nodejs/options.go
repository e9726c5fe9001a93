package main

import (
	"errors"

	"github.com/google/shlex"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// nodeOptions are the `runtime.options` of Pulumi.yaml (or PulumiPolicy.yaml) that change how node is started.
type nodeOptions struct {
	typescript   bool     // run .ts sources through ts-node (PULUMI_NODEJS_TYPESCRIPT)
	tsconfigPath string   // PULUMI_NODEJS_TSCONFIG_PATH
	nodeArgs     []string // extra arguments for node itself, e.g. --max-old-space-size=4096
}

// parseOptions reads the options the way the official host does: typescript defaults to true, and a value of the
// wrong type is an error rather than silently ignored. Unknown options (packagemanager, ...) are ignored.
func parseOptions(opts *structpb.Struct) (nodeOptions, error) {
	parsed := nodeOptions{typescript: true}
	m := opts.AsMap()
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return parsed, errors.New("typescript option must be a boolean")
		}
		parsed.typescript = b
	}
	if v, ok := m["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return parsed, errors.New("tsconfig option must be a string")
		}
		parsed.tsconfigPath = s
	}
	if v, ok := m["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return parsed, errors.New("nodeargs option must be a string")
		}
		// Shell-style splitting, so quoted arguments with spaces survive as in the official host.
		args, err := shlex.Split(s)
		if err != nil {
			return parsed, err
		}
		parsed.nodeArgs = args
	}
	return parsed, nil
}

// env returns the variables @pulumi/pulumi's cmd/run reads to set up TypeScript.
func (o nodeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfigPath)
	}
	return env
}

// programInfo is the part of ProgramInfo the host uses, with fallbacks for an engine that sends the deprecated
// fields only.
type programInfo struct {
	root    string
	dir     string
	entry   string
	options *structpb.Struct
}

func infoOf(info *pulumirpc.ProgramInfo, fallbackDir, fallbackEntry string) programInfo {
	p := programInfo{
		root:    info.GetRootDirectory(),
		dir:     info.GetProgramDirectory(),
		entry:   info.GetEntryPoint(),
		options: info.GetOptions(),
	}
	if p.dir == "" {
		p.dir = fallbackDir
	}
	if p.entry == "" {
		p.entry = fallbackEntry
	}
	if p.entry == "" {
		// "." makes cmd/run load the program directory (package.json main/exports, else index).
		p.entry = "."
	}
	return p
}
