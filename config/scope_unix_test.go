//go:build unix

package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/keyscan/keyscan/config"
)

// TestScopeOf: inside a git work tree a folder's scope is the top's
// .keyscan.toml with paths from the top, whatever .keyscan.toml lies
// between (qa34 5b), also for a folder reached through a link; --config
// replaces the file, not the base. Outside one it is the nearest at or
// above the folder, and the search stops below a folder every user can
// write to.
func TestScopeOf(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mk := func(rel, content string) {
		p := filepath.Join(base, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("repo/.git/HEAD", "ref: refs/heads/main\n")
	mk("repo/.keyscan.toml", "")
	mk("repo/sub/.keyscan.toml", "exclude = [\"**\"]\n")
	mk("repo/sub/deep/x", "")
	mk("plain/.keyscan.toml", "")
	mk("plain/a/b/x", "")
	mk("plain/c/.keyscan.toml", "")
	mk("shared/own/x", "")
	mk("shared/.keyscan.toml", "")
	if err := os.Chmod(filepath.Join(base, "shared"), 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "repo", "sub"), filepath.Join(base, "link")); err != nil {
		t.Fatal(err)
	}
	at := func(rel string) string { return filepath.Join(base, filepath.FromSlash(rel)) }
	for _, c := range []struct {
		dir, named      string
		path, from, rel string
	}{
		{at("repo"), "", at("repo/.keyscan.toml"), at("repo"), ""},
		{at("repo/sub"), "", at("repo/.keyscan.toml"), at("repo"), "sub"},
		{at("repo/sub/deep"), "", at("repo/.keyscan.toml"), at("repo"), "sub/deep"},
		{at("link/deep"), "", at("repo/.keyscan.toml"), at("repo"), "sub/deep"},
		{at("repo/sub"), "ci.toml", "ci.toml", at("repo"), "sub"},
		{at("plain/a/b"), "", at("plain/.keyscan.toml"), at("plain"), "a/b"},
		{at("plain/c"), "", at("plain/c/.keyscan.toml"), at("plain/c"), ""},
		{at("plain/a"), "ci.toml", "ci.toml", at("plain/a"), ""},
		{at("shared/own"), "", "", at("shared/own"), ""},
	} {
		s, rel, err := config.ScopeOf(c.dir, c.named)
		if err != nil || s.Path != c.path || s.Base != c.from || rel != c.rel {
			t.Errorf("ScopeOf(%s, %q) = %+v, %q, %v; want {%s %s}, %q", c.dir, c.named, s, rel, err, c.path, c.from, c.rel)
		}
	}
	if got := config.FileIn("sub", "x.env"); got != "sub/x.env" {
		t.Errorf("FileIn(sub, x.env) = %q", got)
	}
	if got := config.FileIn("", "x.env"); got != "x.env" {
		t.Errorf("FileIn(\"\", x.env) = %q", got)
	}
}
