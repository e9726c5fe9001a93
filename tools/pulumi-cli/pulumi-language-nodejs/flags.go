package main

import (
	"flag"
	"strings"
)

// commandLine is what the engine tells us when it launches us: `[--logtostderr] [-v=N] [--tracing URL] ENGINE`.
type commandLine struct {
	engineAddress string
	tracing       string
	root          string
	showVersion   bool
}

// parseCommandLine reads our flags from the standard flag set (where glog has already registered -v and
// -logtostderr, which logging.InitLogging reads back). Flags we do not know are dropped instead of being fatal: a
// newer engine may pass flags this host has never heard of, and refusing to start over them would break every run.
func parseCommandLine(args []string) commandLine {
	var cl commandLine
	fs := flag.CommandLine
	fs.StringVar(&cl.tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	fs.StringVar(&cl.root, "root", "", "Project root directory (accepted for compatibility; the engine sends it per call)")
	fs.String("runtime", "nodejs", "Runtime for programs (only nodejs is supported)")
	fs.BoolVar(&cl.showVersion, "version", false, "Print the plugin version and exit")

	known, positional := splitArgs(fs, args)
	// known holds only registered flags, so Parse cannot fail on them; a malformed value is still reported by the flag
	// package and makes it exit, like any Go plugin.
	_ = fs.Parse(known)
	// The engine appends its address last (buildArgsForNewPlugin), after any flags.
	if len(positional) > 0 {
		cl.engineAddress = positional[len(positional)-1]
	}
	return cl
}

// splitArgs separates the flags registered in fs (with their values) from positional arguments, dropping unknown
// flags. An unknown flag written without `=` swallows the following word as its value unless that word is the last
// argument, which is always the engine address.
func splitArgs(fs *flag.FlagSet, args []string) (known, positional []string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			positional = append(positional, arg)
			continue
		}
		name, hasValue := flagName(arg)
		takesValue := !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-")
		if f := fs.Lookup(name); f != nil {
			known = append(known, arg)
			if takesValue && !isBoolFlag(f) {
				i++
				known = append(known, args[i])
			}
			continue
		}
		if takesValue && i+1 < len(args)-1 {
			i++ // the unknown flag's value
		}
	}
	return known, positional
}

// flagName returns the name of a `-name`, `--name` or `--name=value` argument and whether it carries its value.
func flagName(arg string) (string, bool) {
	name := strings.TrimLeft(arg, "-")
	if eq := strings.IndexByte(name, '='); eq >= 0 {
		return name[:eq], true
	}
	return name, false
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
