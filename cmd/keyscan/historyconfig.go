package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/staged"
)

// historyConfig is the configuration keyscan history judges a repository
// by: --config when given, else the .keyscan.toml committed at the top of
// HEAD's tree, read from the repository's objects (qa10 LOW-11). A history
// is what the repository holds, so it is judged by what the repository
// holds too (read through gitobj, staged.HeadFile: a hostile object store
// cannot make it wait): a .keyscan.toml lying in the work tree, uncommitted (written
// by a build step, a local edit, a file a pull request's job dropped
// there), is not read, and a warning says when it differs from HEAD's. On
// a pull request HEAD is the pull request's: CI passes the base branch's
// configuration with --config, as README's recipe does for scan.
func historyConfig(ctx context.Context, c *commonFlags, repo string, warn func(string)) (*config.Config, error) {
	if c.configPath != "" {
		return config.Load(c.configPath)
	}
	data, mode, found, top, err := staged.HeadFile(ctx, repo, config.FileName, config.MaxSize)
	switch {
	case err != nil && !found:
		// HEAD or its tree could not be read (or this is no repository):
		// history says so itself, and without a committed file there is
		// none to obey.
		found = false
	case err != nil:
		return nil, fmt.Errorf("config %s as committed at HEAD: %w", config.FileName, err)
	case found && data == nil:
		return nil, fmt.Errorf("config %s as committed at HEAD: mode %o, not a regular file: not read (name a configuration with --config)", config.FileName, mode)
	}
	cfg := config.Default()
	if found {
		if cfg, err = config.Parse(data); err != nil {
			return nil, fmt.Errorf("config %s as committed at HEAD: %w", config.FileName, err)
		}
		cfg.Path = "HEAD:" + config.FileName
	}
	if top != "" {
		p := filepath.Join(top, config.FileName)
		disk, err := readfile.File(p, true, config.MaxSize)
		switch {
		case err == nil && !found:
			warn(fmt.Sprintf("%s is not committed: keyscan history judges the repository by the configuration committed at HEAD (none: the defaults), "+
				"not by the work tree's; commit it, or name it with --config", p))
		case err == nil && !bytes.Equal(disk, data):
			warn(fmt.Sprintf("%s differs from the one committed at HEAD: keyscan history reads HEAD's; commit it, or name it with --config", p))
		}
	}
	return cfg, nil
}

// setupConfig builds the matcher from cfg, as setup does from the
// configuration it loads.
func setupConfig(c *commonFlags, cfg *config.Config) (*scanner.Scanner, error) {
	sc, err := scanner.New(cfg.ScannerOptions())
	if err != nil {
		return nil, err
	}
	c.sc = sc
	return sc, nil
}
