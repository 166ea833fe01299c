package gitobj

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/readfile"
)

// maxLayoutFile bounds a ".git" file or a "commondir" file: each holds one
// path, and a hostile repository must not make keyscan read a large one.
const maxLayoutFile = 1 << 20

// ReadGitFile follows a ".git" file ("gitdir: PATH"), as linked work trees
// and submodules have, and returns the git folder it names, relative
// paths taken from the file's own folder.
func ReadGitFile(path string) (string, error) {
	return ReadGitFileWith(path, readLayout)
}

// readLayout reads a layout file by its path, following links: the
// repository a command names is the user's own.
func readLayout(path string) ([]byte, error) { return readfile.File(path, false, maxLayoutFile) }

// MaxLayoutFile is the most of a ".git" or "commondir" file a reader
// given to ReadGitFileWith or CommonDirWith need read.
const MaxLayoutFile = maxLayoutFile

// ReadGitFileWith is ReadGitFile reading the file with read (a read that
// follows no link out of a scan root, for a repository found inside one).
func ReadGitFileWith(path string, read func(string) ([]byte, error)) (string, error) {
	b, err := read(path)
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	s, ok := strings.CutPrefix(strings.TrimSpace(first), "gitdir:")
	if !ok {
		return "", fmt.Errorf("%s: not a gitdir file", path)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%s: gitdir file names no folder", path)
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(filepath.Dir(path), s)
	}
	return filepath.Clean(s), nil
}

// CommonDir returns the folder that holds a git folder's objects, refs and
// config: its own, or for a linked work tree the main repository's, named
// in its "commondir" file. A commondir file that exists but cannot be read
// is an error: taking the linked folder instead would look for objects
// where there are none.
func CommonDir(gitDir string) (string, error) { return CommonDirWith(gitDir, readLayout) }

// CommonDirWith is CommonDir reading the commondir file with read.
func CommonDirWith(gitDir string, read func(string) ([]byte, error)) (string, error) {
	p := filepath.Join(gitDir, "commondir")
	b, err := read(p)
	if errors.Is(err, fs.ErrNotExist) {
		return gitDir, nil
	}
	if err != nil {
		return "", err
	}
	c := strings.TrimSpace(string(b))
	if c == "" {
		return gitDir, nil
	}
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c), nil
}
