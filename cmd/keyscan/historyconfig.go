package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
)

// historyConfig is the configuration keyscan history judges a repository
// by: --config when given, else the .keyscan.toml committed at the top of
// HEAD's tree, read from the repository's objects (qa10 LOW-11). A history
// is what the repository holds, so it is judged by what the repository
// holds too: a .keyscan.toml lying in the work tree, uncommitted (written
// by a build step, a local edit, a file a pull request's job dropped
// there), is not read, and a warning says when it differs from HEAD's. On
// a pull request HEAD is the pull request's: CI passes the base branch's
// configuration with --config, as README's recipe does for scan.
func historyConfig(ctx context.Context, c *commonFlags, repo string, warn func(string)) (*config.Config, error) {
	if c.configPath != "" {
		return config.Load(c.configPath)
	}
	data, found, err := committedConfig(ctx, repo)
	if err != nil {
		return nil, err
	}
	cfg := config.Default()
	if found {
		if cfg, err = config.Parse(data); err != nil {
			return nil, fmt.Errorf("config %s as committed at HEAD: %w", config.FileName, err)
		}
		cfg.Path = "HEAD:" + config.FileName
	}
	if top := workTreeTop(ctx, repo); top != "" {
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

// committedConfig reads .keyscan.toml at the top of HEAD's tree in repo
// with git; found is false when HEAD does not exist or has none there.
func committedConfig(ctx context.Context, repo string) (data []byte, found bool, err error) {
	out, err := gitIn(ctx, repo, "ls-tree", "--full-tree", "HEAD", "--", config.FileName)
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		// No HEAD yet (an empty repository), or no file there: the
		// defaults. A repository git cannot read is history's to say.
		return nil, false, nil
	}
	// <mode> SP <type> SP <id> TAB <name>
	meta, _, _ := strings.Cut(string(out), "\t")
	f := strings.Fields(meta)
	if len(f) != 3 {
		return nil, false, fmt.Errorf("config: git ls-tree HEAD %s: unexpected answer %q", config.FileName, meta)
	}
	if f[0] != "100644" && f[0] != "100755" || f[1] != "blob" {
		return nil, false, fmt.Errorf("config %s as committed at HEAD: mode %s (%s), not a regular file: not read (name a configuration with --config)", config.FileName, f[0], f[1])
	}
	size, err := gitIn(ctx, repo, "cat-file", "-s", f[2])
	if err != nil {
		return nil, false, fmt.Errorf("config %s as committed at HEAD: %w", config.FileName, err)
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(string(size)), 10, 64); err != nil || n > config.MaxSize {
		return nil, false, fmt.Errorf("config %s as committed at HEAD: larger than %d bytes: not read", config.FileName, config.MaxSize)
	}
	data, err = gitIn(ctx, repo, "cat-file", "blob", f[2])
	if err != nil {
		return nil, false, fmt.Errorf("config %s as committed at HEAD: %w", config.FileName, err)
	}
	return data, true, nil
}

// workTreeTop is the top of repo's work tree, "" for a bare repository or
// a git folder named as the repository.
func workTreeTop(ctx context.Context, repo string) string {
	out, err := gitIn(ctx, repo, "rev-parse", "--show-toplevel")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// gitIn runs git in repo (GIT_DIR unset: repo names the repository) and
// returns its standard output, or an error holding its last line of stderr.
func gitIn(ctx context.Context, repo string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = repo
	cmd.Env = withoutGitDir(os.Environ())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
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
