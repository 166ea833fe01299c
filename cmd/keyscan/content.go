package main

import (
	"flag"
	"fmt"
	"github.com/keyscan/keyscan/report"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
)

// contentFlags choose what scan, history and staged look into besides text:
// archives and binary files. Set on the command line, they override the
// configuration.
type contentFlags struct {
	maxDepth int
	binaries bool
	set      map[string]bool
}

func (c *contentFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.maxDepth, "max-archive-depth", 3, "open archives (zip, jar, tar, gz, xz, zst, ...) nested up to `N` deep; 0 leaves archives closed")
	fs.BoolVar(&c.binaries, "binaries", true, "scan the printable text of binary files (--binaries=false skips them)")
}

// options merges the flags given on the command line into the configuration's.
func (c *contentFlags) options(fs *flag.FlagSet, cfg *config.Config) (content.Options, error) {
	opts := cfg.ContentOptions()
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "max-archive-depth":
			if c.maxDepth < 0 {
				err = fmt.Errorf("--max-archive-depth: must not be negative, not %d", c.maxDepth)
			}
			if c.maxDepth > archive.DeepestDepth {
				err = fmt.Errorf("--max-archive-depth: at most %d, not %d (each level keeps its name and state, so a gzip that holds itself costs memory with the square of the depth)", archive.DeepestDepth, c.maxDepth)
			}
			opts.Archives.MaxDepth = c.maxDepth
		case "binaries":
			opts.SkipBinary = !c.binaries
		}
	})
	return opts, err
}

// contentSummary is the part of a summary line that says how many binary
// files and archives were looked into.
func contentSummary(binary int64, skipped bool, archives, members int64) string {
	s := ""
	if binary > 0 {
		what := fmt.Sprintf("%d binary files or archive members", binary)
		if binary == 1 {
			what = "1 binary file or archive member"
		}
		if skipped {
			s += ", " + what + " not scanned (--binaries=false)"
		} else {
			s += ", " + what + " read for their text runs"
		}
	}
	if archives > 0 {
		s += ", " + report.Count(int(archives), "archive", "archives") + " opened (" + report.Count(int(members), "member", "members") + ")"
	}
	return s
}
