package gittest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Bomb writes, with the git binary's mktree into the repository at dir
// (a work tree or a git folder), a "git bomb": a tree of levels folders
// whose width entries (a, b, c, ...) all name the same tree, down to a
// tree that holds blob as file name. It returns the top tree's ID. Such a
// tree is legitimate (git writes it, fsck accepts it) and takes a few
// kilobytes, yet spells width^levels paths to the blob: a walk by path
// never ends in practice.
func Bomb(dir, blob, name string, levels, width int) (string, error) {
	if width < 1 || width > 26 {
		return "", fmt.Errorf("bomb width %d: 1 to 26", width)
	}
	tree, err := mktree(dir, fmt.Sprintf("100644 blob %s\t%s\n", blob, name))
	if err != nil {
		return "", err
	}
	for range levels {
		var b strings.Builder
		for i := range width {
			fmt.Fprintf(&b, "040000 tree %s\t%c\n", tree, 'a'+i)
		}
		if tree, err = mktree(dir, b.String()); err != nil {
			return "", err
		}
	}
	return tree, nil
}

func mktree(dir, entries string) (string, error) {
	cmd := exec.Command("git", "mktree")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	cmd.Stdin = strings.NewReader(entries)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git mktree: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
