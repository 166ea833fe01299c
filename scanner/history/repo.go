package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// repo is an open repository: go-git for refs and for commits and trees,
// and the pack files for the bulk read of blobs.
type repo struct {
	path  string // as given, for the git fallback in resolve
	git   *git.Repository
	fs    billy.Filesystem    // the git directory
	store *filesystem.Storage // objects, keeping pack descriptors open
	packs []*packFile
	dirs  []*objectDir // other object directories: a quarantine, alternates
}

func openRepo(path string) (*repo, error) {
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
	// The default storage opens and closes a pack file for every object it
	// reads; keeping descriptors open is what makes the tree walk cheap. The
	// cache holds resolved trees so that a delta chain of directory
	// versions is not resolved from its base again for each version.
	store := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(64*cache.MiByte), filesystem.Options{KeepDescriptors: true})
	r := &repo{path: path, git: g, fs: fs, store: store}
	return r, nil
}

// resolve turns a revision into a commit hash. go-git understands names,
// hashes and ~/^ suffixes; for the rest of git's syntax (@{upstream},
// @{push}, :/message, branch@{yesterday}) it asks the git binary, when
// there is one.
func (r *repo) resolve(rev string) (plumbing.Hash, error) {
	h, err := r.git.ResolveRevision(plumbing.Revision(rev))
	if err == nil {
		return *h, nil
	}
	out, gerr := exec.Command("git", "-C", r.path, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}").Output()
	if gerr != nil {
		return plumbing.ZeroHash, err
	}
	if hh := strings.TrimSpace(string(out)); plumbing.IsHash(hh) {
		return plumbing.NewHash(hh), nil
	}
	return plumbing.ZeroHash, err
}

func (r *repo) close() {
	r.store.Close()
	for _, d := range r.dirs {
		d.store.Close()
	}
	for _, p := range r.packs {
		p.close()
	}
}

// tip is where the walk starts: a commit, or for a tag that points straight
// at a tree or a blob, that object.
type tip struct {
	name string
	hash plumbing.Hash
	typ  plumbing.ObjectType
}

// tips returns the objects every ref points at, tags peeled, plus the
// stash's reflog (older stashes are reachable only from there).
func (s *scan) tips() ([]tip, error) {
	if len(s.opts.Refs) > 0 {
		var out []tip
		for _, name := range s.opts.Refs {
			if h, ok := parseHash(name); ok {
				// An object ID may name a tag of a tree or a blob (a push's
				// new tip): peel it rather than insist on a commit.
				t, err := s.peel(name, h)
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
			out = append(out, tip{name: name, hash: h, typ: plumbing.CommitObject})
		}
		return out, nil
	}
	iter, err := s.repo.git.References()
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	var out []tip
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference {
			return nil // symbolic (HEAD -> a branch): the branch is listed itself
		}
		t, err := s.peel(ref.Name().String(), ref.Hash())
		if err != nil {
			s.warn(ref.Hash().String(), "", fmt.Sprintf("ref %s: %v", ref.Name(), err))
			return nil
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	for _, h := range s.stashReflog() {
		out = append(out, tip{name: "refs/stash (reflog)", hash: h, typ: plumbing.CommitObject})
	}
	return out, nil
}

// peel follows annotated tags to the object they name.
func (s *scan) peel(name string, h plumbing.Hash) (tip, error) {
	for range 16 {
		t, data, err := s.objr.read(h)
		if err != nil {
			return tip{}, err
		}
		if t != plumbing.TagObject {
			return tip{name: name, hash: h, typ: t}, nil
		}
		target, ok := tagTarget(data)
		if !ok {
			return tip{}, errors.New("malformed tag: no object line")
		}
		h = target
	}
	return tip{}, errors.New("tag chain too long")
}

// tagTarget returns the object an annotated tag names.
func tagTarget(data []byte) (plumbing.Hash, bool) {
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		if len(line) == 0 {
			break // end of headers
		}
		if v, ok := bytes.CutPrefix(line, []byte("object ")); ok {
			return parseHash(string(v))
		}
		data = rest
	}
	return plumbing.ZeroHash, false
}

// stashReflog returns the commits of refs/stash's reflog: stash@{1} and
// older live nowhere else.
func (s *scan) stashReflog() []plumbing.Hash {
	f, err := s.repo.fs.Open("logs/refs/stash")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []plumbing.Hash
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 {
			if h, ok := parseHash(fields[1]); ok && !h.IsZero() {
				out = append(out, h)
			}
		}
	}
	return out
}

func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return plumbing.ZeroHash, false
		}
	}
	return plumbing.NewHash(s), true
}

// headCommit returns the commit HEAD names, if there is one.
func (s *scan) headCommit() (plumbing.Hash, bool) {
	ref, err := s.repo.git.Head()
	if err != nil {
		return plumbing.ZeroHash, false
	}
	return ref.Hash(), true
}

// shallowBoundary returns the commits whose parents a shallow clone lacks.
func (s *scan) shallowBoundary() map[plumbing.Hash]bool {
	hs, err := s.repo.store.Shallow()
	if err != nil || len(hs) == 0 {
		return nil
	}
	m := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		m[h] = true
	}
	return m
}
