package staged

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/readfile"
)

// repo is where a repository's parts live.
type repo struct {
	gitDir    string // this work tree's git folder (HEAD, index, MERGE_HEAD)
	commonDir string // shared by linked work trees (objects, refs)
	workTree  string
}

// TopLevel returns the root of the work tree that holds dir, the folder
// whose .keyscan.toml applies and to which finding paths are relative.
// gitDir and workTree are what GIT_DIR and GIT_WORK_TREE say, if set.
func TopLevel(dir, gitDir, workTree string) (string, error) {
	r, err := locate(dir, gitDir, workTree)
	if err != nil {
		return "", err
	}
	return r.workTree, nil
}

func locate(dir, gitDir, workTree string) (*repo, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	r := &repo{}
	if gitDir != "" {
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(dir, gitDir)
		}
		r.gitDir = gitDir
		r.workTree = dir
		if workTree != "" {
			r.workTree = workTree
			if !filepath.IsAbs(workTree) {
				r.workTree = filepath.Join(dir, workTree)
			}
		}
	} else {
		for d := dir; ; {
			dotgit := filepath.Join(d, ".git")
			fi, err := os.Stat(dotgit)
			if err == nil {
				r.workTree = d
				if fi.IsDir() {
					r.gitDir = dotgit
				} else {
					r.gitDir, err = gitobj.ReadGitFile(dotgit)
					if err != nil {
						return nil, err
					}
				}
				break
			}
			if isGitDir(d) {
				return nil, fmt.Errorf("%s is a bare repository or a git folder: a staged scan needs a work tree", d)
			}
			parent := filepath.Dir(d)
			if parent == d {
				return nil, fmt.Errorf("%s: not inside a git work tree", dir)
			}
			d = parent
		}
		if workTree != "" {
			r.workTree = workTree
		}
	}
	if !isGitDir(r.gitDir) {
		return nil, fmt.Errorf("%s: not a git repository", r.gitDir)
	}
	if r.commonDir, err = gitobj.CommonDir(r.gitDir); err != nil {
		return nil, err
	}
	if err := gitobj.CheckFormat(r.commonDir); err != nil {
		return nil, fmt.Errorf("%s: %w", r.gitDir, err)
	}
	// As keyscan history does (scanner/history/extensions.go): a staged
	// scan that cannot read HEAD would take every staged file for added.
	if rs, err := gitobj.RefStorage(r.commonDir); err != nil {
		return nil, fmt.Errorf("%s: %w", r.gitDir, err)
	} else if rs != "" && rs != "files" {
		return nil, fmt.Errorf("%s: unknown extension: refstorage = %s: keyscan reads refs of git's files backend only "+
			"(`git refs migrate --ref-format=files` converts reftable refs)", r.gitDir, shortValue(rs))
	}
	return r, nil
}

func isGitDir(d string) bool {
	if _, err := os.Stat(filepath.Join(d, "HEAD")); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(d, "objects"))
	if err != nil {
		// linked work trees keep objects in the common folder
		_, err = os.Stat(filepath.Join(d, "commondir"))
	}
	return err == nil
}

// head returns the commit HEAD points to; ok is false on an unborn branch
// (the first commit of a repository).
func (r *repo) head(ctx context.Context) (h gitobj.ID, ok bool, err error) {
	name := "HEAD"
	for range 10 {
		b, err := r.readRef(name)
		if errors.Is(err, os.ErrNotExist) {
			return gitobj.ID{}, false, nil
		}
		if err != nil {
			return gitobj.ID{}, false, err
		}
		s := strings.TrimSpace(string(b))
		if target, isSym := strings.CutPrefix(s, "ref:"); isSym {
			name = strings.TrimSpace(target)
			if name == "refs/heads/.invalid" {
				// reftable's stub, without extensions.refStorage
				return gitobj.ID{}, false, fmt.Errorf("ref HEAD: names refs/heads/.invalid, the stub of a reftable repository: keyscan reads refs of git's files backend only")
			}
			continue
		}
		if h, ok := gitobj.ParseID(s); ok {
			return h, true, nil
		}
		if len(s) == 64 {
			return gitobj.ID{}, false, fmt.Errorf("ref %s: SHA-256 repositories are not supported yet", name)
		}
		if s == "" {
			// A crash's leftover: git says "your current branch appears
			// to be broken" and commits nothing on it.
			return gitobj.ID{}, false, fmt.Errorf("ref %s: its file is empty: a broken ref, on which git cannot commit (git update-ref %s COMMIT repairs it)", name, name)
		}
		return gitobj.ID{}, false, fmt.Errorf("ref %s: cannot parse %s", name, quoteBad(s))
	}
	return gitobj.ID{}, false, fmt.Errorf("ref HEAD: too many levels of symbolic refs (a loop, or a chain longer than 10)")
}

// readRef returns the content of a loose ref or its packed-refs line.
func (r *repo) readRef(name string) ([]byte, error) {
	if strings.Contains(name, "..") {
		return nil, fmt.Errorf("ref %q: bad name", name)
	}
	dirs := []string{r.gitDir}
	if r.commonDir != r.gitDir && (strings.HasPrefix(name, "refs/") && !strings.HasPrefix(name, "refs/worktree/") && !strings.HasPrefix(name, "refs/bisect/")) {
		dirs = []string{r.commonDir}
	}
	for _, d := range dirs {
		p := filepath.Join(d, filepath.FromSlash(name))
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return symlinkRef(name, p)
		}
		b, err := readfile.File(p, true, maxSmallFile)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, os.ErrNotExist) && !isDirErr(err) {
			return nil, err
		}
	}
	f, size, err := readfile.Open(filepath.Join(r.commonDir, "packed-refs"), false)
	if errors.Is(err, os.ErrNotExist) {
		return nil, os.ErrNotExist
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(r.commonDir, "packed-refs"), err)
	}
	defer f.Close()
	if size > maxPackedRefs {
		return nil, fmt.Errorf("%s: larger than %d bytes: not read", filepath.Join(r.commonDir, "packed-refs"), int64(maxPackedRefs))
	}
	sc := bufio.NewScanner(io.LimitReader(f, size))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	suffix := []byte(" " + name)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasSuffix(line, suffix) && len(line) == 40+len(suffix) {
			return append([]byte(nil), line[:40]...), nil
		}
	}
	return nil, os.ErrNotExist
}

// symlinkRef reads a ref that is a symbolic link (core.preferSymlinkRefs
// makes HEAD one) as git does: a link to "refs/…" names the ref it points
// to. A link anywhere else is an error, never followed: it would read a
// file outside the git folder and quote it in the error.
func symlinkRef(name, p string) ([]byte, error) {
	target, err := os.Readlink(p)
	if err != nil {
		return nil, err
	}
	t := filepath.ToSlash(target)
	if strings.HasPrefix(t, "refs/") && !strings.Contains(t, "..") {
		return []byte("ref: " + t), nil
	}
	return nil, fmt.Errorf("ref %s: a symbolic link to %s, not to a ref under refs/: not followed", name, quoteBad(target))
}

// quoteBad quotes a ref's content that is not what git writes: a short
// prefix of its first line, each word-like run (what a key could be)
// cut to 4 bytes, and the length, as pre-receive quotes a malformed
// input line (scanner/receive/refname.go redactToken). The file may hold
// anything, a secret or a megabyte included, and the error is shown and
// logged.
func quoteBad(s string) string {
	const keep = 32
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > keep {
		line = line[:keep]
	}
	var b strings.Builder
	run := 0
	for _, c := range []byte(line) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '+' || c == '_' || c == '-' {
			run++
			if run > 4 {
				if run == 5 {
					b.WriteString("…")
				}
				continue
			}
		} else {
			run = 0
		}
		b.WriteByte(c)
	}
	return strconv.Quote(b.String()) + " (" + strconv.Itoa(len(s)) + " bytes)"
}

// shortValue is a configuration value as an error shows it: whole when
// short, quoted as quoteBad does otherwise.
func shortValue(s string) string {
	if len(s) <= 16 {
		return s
	}
	return quoteBad(s)
}

// isDirErr reports whether a ref's path is a folder (refs/heads/a when
// refs/heads/a/b exists): not the ref.
func isDirErr(err error) bool {
	var nr readfile.NotRegularError
	return errors.As(err, &nr) && nr.Mode.IsDir()
}

// The files of a git folder are read as internal/readfile reads what a user
// names (a FIFO or a device there is an error, never a wait) and up to a
// bound: a ref, HEAD, commondir or a .git file is a line; packed-refs
// lists every ref of the repository.
const (
	maxSmallFile  = 1 << 20
	maxPackedRefs = 1 << 30
)

// mergeHeads returns the other parents of a merge in progress.
func (r *repo) mergeHeads() ([]gitobj.ID, error) {
	b, err := readfile.File(filepath.Join(r.gitDir, "MERGE_HEAD"), false, maxSmallFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []gitobj.ID
	for _, line := range strings.Split(string(b), "\n") {
		if h, ok := gitobj.ParseID(strings.TrimSpace(line)); ok {
			out = append(out, h)
		}
	}
	return out, nil
}
