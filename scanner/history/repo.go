package history

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// repo is an open repository: go-git for refs, revisions and the
// repository's layout, gitobj for every object.
type repo struct {
	path string // as given, for the git fallback in resolve
	git  *git.Repository
	fs   billy.Filesystem // the git directory
	objs *gitobj.Store
}

func openRepo(path string, opts Options) (*repo, error) {
	// A bare repository is found only without detection (detection looks
	// for a .git in the path and its parents); a directory inside a work
	// tree only with it.
	g, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		g, err = git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	}
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%s: %w", path, ErrNotRepository)
		}
		return nil, fmt.Errorf("%s: opening repository: %w", path, err)
	}
	st, ok := g.Storer.(*filesystem.Storage)
	if !ok {
		return nil, fmt.Errorf("%s: unsupported repository storage", path)
	}
	fs := st.Filesystem()
	objDir := filepath.Join(commonDir(fs.Root()), "objects")
	objs, err := gitobj.Open(objDir, gitobj.Options{Alternates: opts.ObjectDirs})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &repo{path: path, git: g, fs: fs, objs: objs}, nil
}

// commonDir returns the folder that holds a git folder's objects: its own,
// or for a linked work tree the main repository's (named in "commondir").
func commonDir(gitDir string) string {
	b, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	c := strings.TrimSpace(string(b))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c)
}

// resolve turns a revision into a commit hash. go-git understands names,
// hashes and ~/^ suffixes; for the rest of git's syntax (@{upstream},
// @{push}, :/message, branch@{yesterday}) it asks the git binary, when
// there is one.
func (r *repo) resolve(rev string) (gitobj.ID, error) {
	h, err := r.git.ResolveRevision(plumbing.Revision(rev))
	if err == nil {
		return gitobj.ID(*h), nil
	}
	out, gerr := exec.Command("git", "-C", r.path, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}").Output()
	if gerr != nil {
		return gitobj.ID{}, err
	}
	if id, ok := gitobj.ParseID(strings.TrimSpace(string(out))); ok {
		return id, nil
	}
	return gitobj.ID{}, err
}

func (r *repo) close() { r.objs.Close() }

// tip is where the walk starts: a commit, or for a tag that points straight
// at a tree or a blob, that object.
type tip struct {
	name string
	hash gitobj.ID
	typ  gitobj.Type
}

// tips returns the objects every ref points at, tags peeled, plus the
// stash's reflog (older stashes are reachable only from there).
func (s *scan) tips() ([]tip, error) {
	if len(s.opts.Refs) > 0 {
		var out []tip
		for _, name := range s.opts.Refs {
			if h, ok := gitobj.ParseID(name); ok {
				// An object ID may name a tag of a tree or a blob (a push's
				// new tip): peel it rather than insist on a commit.
				t, err := s.peelTip(name, h)
				if err != nil {
					return nil, fmt.Errorf("object %s: %w", name, err)
				}
				out = append(out, t)
				continue
			}
			h, err := s.repo.resolve(name)
			if err != nil {
				return nil, fmt.Errorf("ref %q: %w", name, err)
			}
			out = append(out, tip{name: name, hash: h, typ: gitobj.Commit})
		}
		return out, nil
	}
	iter, err := s.repo.git.References()
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	var out []tip
	failed := 0
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference {
			return nil // symbolic (HEAD -> a branch): the branch is listed itself
		}
		t, err := s.peelTip(ref.Name().String(), gitobj.ID(ref.Hash()))
		if err != nil {
			failed++
			s.warn(ref.Hash().String(), "", fmt.Sprintf("ref %s: %v", ref.Name(), err))
			return nil
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	if len(out) == 0 && failed > 0 {
		// Not an empty repository but a damaged one: "no commits, no
		// credentials" would be a scan that read nothing passing as clean.
		return nil, fmt.Errorf("%d refs and none resolves to an object in the repository: its objects are missing or unreadable", failed)
	}
	for _, h := range s.stashReflog() {
		out = append(out, tip{name: "refs/stash (reflog)", hash: h, typ: gitobj.Commit})
	}
	return out, nil
}

// peel follows annotated tags to the object they name.
func (s *scan) peel(name string, h gitobj.ID) (tip, error) {
	id, t, _, err := s.objr.Peel(h)
	if err != nil {
		return tip{}, err
	}
	return tip{name: name, hash: id, typ: t}, nil
}

// stashReflog returns the commits of refs/stash's reflog: stash@{1} and
// older live nowhere else.
func (s *scan) stashReflog() []gitobj.ID {
	f, err := s.repo.fs.Open("logs/refs/stash")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []gitobj.ID
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 {
			if h, ok := gitobj.ParseID(fields[1]); ok && !h.IsZero() {
				out = append(out, h)
			}
		}
	}
	return out
}

// headCommit returns the commit HEAD names, if there is one.
func (s *scan) headCommit() (gitobj.ID, bool) {
	ref, err := s.repo.git.Head()
	if err != nil {
		return gitobj.ID{}, false
	}
	return gitobj.ID(ref.Hash()), true
}

// shallowBoundary returns the commits whose parents a shallow clone lacks.
func (s *scan) shallowBoundary() map[gitobj.ID]bool {
	hs, err := s.repo.git.Storer.Shallow()
	if err != nil || len(hs) == 0 {
		return nil
	}
	m := make(map[gitobj.ID]bool, len(hs))
	for _, h := range hs {
		m[gitobj.ID(h)] = true
	}
	return m
}
