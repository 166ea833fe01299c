package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/keyscan/keyscan/internal/lfs"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/readfile"
)

// repo is an open repository: go-git's storage for refs (through guardFS),
// gitobj for every object.
type repo struct {
	path  string              // as given, for the git fallback in resolve
	st    *filesystem.Storage // go-git's storage, whose Config is the file's (checkStorage judges extStorage's)
	fs    billy.Filesystem    // the git directory
	refFS billy.Filesystem    // the git directory with the common one's refs (a linked worktree's)
	objs  *gitobj.Store
	lfs   lfs.Objects // git-lfs's object store
	// gitDir and common are the git folder and the one shared by linked
	// worktrees (the same folder outside a linked worktree).
	gitDir, common string
	packed         packedCheck // packed-refs' bad lines, which go-git is not given
	empty          *emptyRefs  // the empty loose ref files go-git was not shown
}

func openRepo(path string, opts Options) (*repo, error) {
	gitDir, err := findGitDir(path)
	if err != nil {
		return nil, err
	}
	common, err := gitobj.CommonDir(gitDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := gitobj.CheckFormat(common); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// go-git reads refs and configuration only, through guardFS (see
	// there); PlainOpen would give it an unguarded osfs.
	dot := guardFS{osfs.New(gitDir)}
	var repoFS billy.Filesystem = dot
	if common != gitDir {
		repoFS = dotgit.NewRepositoryFilesystem(dot, guardFS{osfs.New(common)})
	}
	packed, empty := checkPackedRefs(repoFS), &emptyRefs{}
	repoFS = refsFS{Filesystem: repoFS, packed: packed.filtered, empty: empty}
	st := filesystem.NewStorage(repoFS, cache.NewObjectLRUDefault())
	if err := checkStorage(extStorage{st}); err != nil {
		if errors.Is(err, errNoHead) {
			return nil, fmt.Errorf("%s: %w", path, ErrNotRepository)
		}
		if errors.Is(err, errUnknownExtension) || errors.Is(err, errExtensionInVersion0) {
			err = extensionError(err)
		}
		return nil, fmt.Errorf("%s: opening repository: %w", path, err)
	}
	objs, err := gitobj.Open(filepath.Join(common, "objects"), gitobj.Options{Alternates: opts.ObjectDirs})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &repo{path: path, st: st, fs: dot, refFS: repoFS, objs: objs, lfs: lfs.Store(common), gitDir: gitDir, common: common, packed: packed, empty: empty}, nil
}

// GitFolder returns the git folder of the repository at path, found as
// Scan finds it (findGitDir), and for a linked worktree the folder its
// worktrees share: where a server keeps what its pushers cannot write
// (keyscan pre-receive's keyscan.toml), whether path names the git folder
// of a bare repository or the top of a non-bare one's work tree.
func GitFolder(path string) (string, error) {
	gitDir, err := findGitDir(path)
	if err != nil {
		return "", err
	}
	return gitobj.CommonDir(gitDir)
}

// findGitDir finds the repository at path as go-git's PlainOpen did: path's
// .git (a folder, or a file saying "gitdir: DIR"), else path itself as a
// bare repository when it holds HEAD, else the .git of the nearest folder
// above. The files it reads come with the repository and are read as
// internal/readfile reads (a FIFO there is an error, not a wait).
func findGitDir(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	d := abs
	if !fi.IsDir() {
		d = filepath.Dir(abs)
	}
	for {
		dotgit := filepath.Join(d, ".git")
		fi, err := os.Stat(dotgit)
		switch {
		case err == nil && fi.IsDir():
			return dotgit, nil
		case err == nil:
			gd, err := gitobj.ReadGitFile(dotgit)
			if err != nil {
				return "", err
			}
			if fi, err := os.Stat(gd); err != nil || !fi.IsDir() {
				// Not "not a git repository (or any parent up to the
				// root)": the .git file says where, and that is gone.
				return "", fmt.Errorf("%s names %s (gitdir:), which is not a folder: not a git repository (a linked worktree whose repository was moved or removed? git worktree repair)", dotgit, gd)
			}
			return gd, nil
		case !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		if d == abs {
			if hf, err := os.Stat(filepath.Join(d, "HEAD")); err == nil && !hf.IsDir() {
				return d, nil // a bare repository, or a git folder named
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%s: %w", path, ErrNotRepository)
		}
		d = parent
	}
}

// resolve turns a revision into a commit ID. It reads objects through
// internal/gitobj only (go-git would read them through its own reader,
// which follows alternates without bound and opens whatever file is
// there): a ref or object name, then ~N, ^N and ^{commit} steps, each
// commit read and checked. For the rest of git's syntax (@{upstream},
// @{push}, :/message, branch@{yesterday}, an abbreviated ID) it asks the
// git binary, when there is one, and stops it with ctx.
func (r *repo) resolve(ctx context.Context, objr *gitobj.Reader, rev string) (gitobj.ID, error) {
	base, steps := splitRevision(rev)
	if strings.ContainsAny(rev, "@:{}") && !strings.HasSuffix(rev, "^{commit}") || base == "" {
		return r.revParse(ctx, rev)
	}
	h, ok := gitobj.ParseID(base)
	if !ok {
		ref, err := r.ref(base)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			for _, b := range r.packed.bad {
				if b.name != "" && slices.Contains(refCandidates(base), b.name) {
					return gitobj.ID{}, &RevisionError{Rev: rev, Why: fmt.Sprintf("%s, line %d, which holds %s, is malformed (it names no object)", filepath.Join(r.common, "packed-refs"), b.n, b.name)}
				}
			}
			return r.revParse(ctx, rev) // an abbreviated ID, or git's error
		}
		if err != nil {
			return gitobj.ID{}, err
		}
		h = ref
	}
	commit := func(h gitobj.ID) (gitobj.ID, gitobj.CommitHeader, error) {
		id, t, data, err := objr.Peel(h)
		if err != nil {
			return id, gitobj.CommitHeader{}, err
		}
		if t != gitobj.Commit {
			return id, gitobj.CommitHeader{}, fmt.Errorf("object %s is a %s, not a commit", id, t)
		}
		c, err := gitobj.ParseCommit(data)
		if err != nil {
			return id, c, fmt.Errorf("commit %s: %w", id, err)
		}
		return id, c, nil
	}
	if !r.objs.Has(h) {
		return gitobj.ID{}, &RevisionError{Rev: rev, Why: fmt.Sprintf("the repository has no object %s", h)}
	}
	h, c, err := commit(h)
	if err != nil {
		return gitobj.ID{}, err
	}
	for _, st := range steps {
		for range st.n {
			i := 0
			if st.op == '^' {
				i = st.parent - 1
			}
			if i < 0 || i >= len(c.Parents) {
				return gitobj.ID{}, fmt.Errorf("commit %s has no parent %d", h, i+1)
			}
			p := c.Parents[i]
			if !r.objs.Has(p) {
				// Say whose parent, and why it is missing when the
				// repository knows: a shallow clone's boundary.
				why := "not in the repository"
				if hs, err := r.st.Shallow(); err == nil && slices.Contains(hs, plumbing.Hash(h)) {
					why = "not in this shallow clone (commit " + h.String() + " is its boundary: git fetch --unshallow)"
				}
				return gitobj.ID{}, &RevisionError{Rev: rev, Why: fmt.Sprintf("parent %d of commit %s, %s, is %s", i+1, h, p, why)}
			}
			if h, c, err = commit(p); err != nil {
				return gitobj.ID{}, err
			}
			if st.op == '^' {
				break
			}
		}
	}
	return h, nil
}

// revStep is one ~N or ^N of a revision (^{commit} is none: every step
// peels to a commit).
type revStep struct {
	op     byte
	n      int // ~N: how many first parents; ^N: 1
	parent int // ^N: which parent
}

// splitRevision splits rev into its name and its ~N and ^N steps; a name
// of "" means a syntax resolve leaves to git.
func splitRevision(rev string) (string, []revStep) {
	rev = strings.TrimSuffix(rev, "^{commit}")
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		return rev, nil
	}
	base, rest := rev[:i], rev[i:]
	var steps []revStep
	for rest != "" {
		op := rest[0]
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' && j < 8 {
			j++
		}
		n := 1
		if j > 1 {
			v, err := strconv.Atoi(rest[1:j])
			if err != nil {
				return "", nil
			}
			n = v
		}
		switch op {
		case '~':
			steps = append(steps, revStep{op: '~', n: n})
		case '^':
			if n == 0 {
				rest = rest[j:]
				continue // ^0: the commit itself
			}
			steps = append(steps, revStep{op: '^', n: 1, parent: n})
		default:
			return "", nil
		}
		rest = rest[j:]
	}
	return base, steps
}

// ref finds name as git does: as a full name, then under refs/, refs/tags/,
// refs/heads/, refs/remotes/ and as refs/remotes/NAME/HEAD, following
// symbolic refs; go-git reads them through guardFS.
func (r *repo) ref(name string) (gitobj.ID, error) {
	for _, full := range refCandidates(name) {
		ref, err := storer.ResolveReference(r.st, plumbing.ReferenceName(full))
		if err == nil && ref.Type() == plumbing.HashReference {
			if why := r.malformedRef(ref); why != "" {
				return gitobj.ID{}, &RevisionError{Rev: name, Why: fmt.Sprintf("%s is a malformed ref (%s), which git ignores", ref.Name(), why)}
			}
			return gitobj.ID(ref.Hash()), nil
		}

		if errors.Is(err, storer.ErrMaxResolveRecursion) {
			return gitobj.ID{}, &RevisionError{Rev: name, Why: fmt.Sprintf("%s is a symbolic ref that leads to no ref (a loop, or a chain too long to follow)", full)}
		}
		// go-git refuses a bare name that is not a pseudo-ref (HEAD,
		// FETCH_HEAD): then the names under refs/ are tried.
		if err != nil && !errors.Is(err, plumbing.ErrReferenceNotFound) && strings.HasPrefix(full, "refs/") {
			return gitobj.ID{}, fmt.Errorf("ref %s: %w", full, err)
		}
	}
	for _, full := range refCandidates(name) {
		// go-git reads an empty ref file as no ref (it looks in
		// packed-refs instead): git calls it a broken ref.
		if fi, err := r.refFS.Lstat(full); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 && strings.HasPrefix(full, "refs/") {
			return gitobj.ID{}, &RevisionError{Rev: name, Why: fmt.Sprintf("%s is a malformed ref (its file is empty), which git ignores", full)}
		}
	}
	return gitobj.ID{}, plumbing.ErrReferenceNotFound
}

// refCandidates are the full names git tries for a ref named name, in
// its order.
func refCandidates(name string) []string {
	return []string{name, "refs/" + name, "refs/tags/" + name, "refs/heads/" + name,
		"refs/remotes/" + name, "refs/remotes/" + name + "/HEAD"}
}

// refNames returns the full name of the ref that name finds, as ref finds
// it, and the names of the refs it points at when it is symbolic; none
// when name is no ref (an object ID, a revision with steps).
func (r *repo) refNames(name string) []string {
	for _, full := range refCandidates(name) {
		var out []string
		for range maxSymrefChain {
			ref, err := r.st.Reference(plumbing.ReferenceName(full))
			if err != nil {
				break
			}
			out = append(out, full)
			if ref.Type() != plumbing.SymbolicReference {
				break
			}
			full = ref.Target().String()
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// maxSymrefChain bounds the symbolic refs followed from a name (git's
// own limit is 5).
const maxSymrefChain = 5

// revParse asks the git binary for the commit rev names.
func (r *repo) revParse(ctx context.Context, rev string) (gitobj.ID, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", r.path, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, exec.ErrNotFound) {
		return gitobj.ID{}, &RevisionError{Rev: rev, Why: "an abbreviated object ID or revision syntax (@{upstream}, :/text) is read by the git binary, which is not on PATH"}
	}
	if ctx.Err() != nil {
		return gitobj.ID{}, ctx.Err()
	}
	if fatal, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n"); err != nil && fatal != "" {
		// Not "no such revision" (--quiet says nothing then) but git
		// unable to read the repository: a bad packed-refs line.
		return gitobj.ID{}, &RevisionError{Rev: rev, Why: "git rev-parse: " + fatal}
	}
	if err != nil {
		return gitobj.ID{}, &RevisionError{Rev: rev, Why: r.whyNoRevision(ctx, rev)}
	}
	if id, ok := gitobj.ParseID(strings.TrimSpace(string(out))); ok {
		return id, nil
	}
	return gitobj.ID{}, &RevisionError{Rev: rev}
}

// RevisionError is a revision (--ref, --since) that names no commit of
// the repository: a name that is no ref, a malformed name, an object ID
// the repository lacks, an abbreviation that is ambiguous or matches
// nothing. It names what the user gave, never only the object ID it led
// to (qa38 hist 2: "object 0000...: object not found").
type RevisionError struct {
	Rev string // as given
	Why string // what is known of why, "" for nothing more
}

func (e *RevisionError) Error() string {
	if e.Why == "" {
		return fmt.Sprintf("no ref or commit named %q", e.Rev)
	}
	return fmt.Sprintf("no ref or commit named %q: %s", e.Rev, e.Why)
}

// whyNoRevision says why git found no commit for rev, when it can tell:
// an abbreviated object ID that several objects, or only objects that are
// not commits, begin with; a name git would refuse as a ref's.
func (r *repo) whyNoRevision(ctx context.Context, rev string) string {
	if isHex(rev) && len(rev) >= 4 && len(rev) < 40 {
		out, err := exec.CommandContext(ctx, "git", "-C", r.path, "rev-parse", "--disambiguate="+rev).Output()
		if err != nil {
			return "no object ID begins with it"
		}
		switch n := strings.Count(string(out), "\n"); {
		case n == 0:
			return "no object ID begins with it"
		case n > 1:
			return fmt.Sprintf("an ambiguous abbreviated object ID: %d objects begin with it; give more of its digits", n)
		default:
			return "the one object whose ID begins with it is no commit"
		}
	}
	if rev == "" {
		return "an empty name"
	}
	if !strings.ContainsAny(rev, "~^:@") && !strings.HasPrefix(rev, "-") {
		if err := exec.CommandContext(ctx, "git", "check-ref-format", "--allow-onelevel", rev).Run(); err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "not a valid ref name (git check-ref-format)"
			}
		}
	}
	return ""
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
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
func (s *scan) tips(ctx context.Context) ([]tip, error) {
	names := s.opts.Refs
	if len(names) == 0 || s.opts.Unpushed {
		s.packedRefsGaps() // every ref was asked for
	}
	if s.opts.Unpushed {
		// What a push may carry: branches, tags (git push --follow-tags,
		// git push origin main v1) and notes, each unless the remote has
		// its object already (Not names what it has).
		has := map[gitobj.ID]bool{}
		for _, n := range s.opts.Not {
			if h, ok := gitobj.ParseID(n); ok {
				has[h] = true
			}
		}
		remote := map[string]bool{}
		for _, n := range s.opts.RemoteNames {
			remote[n] = true
		}
		names = slices.Clip(names)
		for _, prefix := range []string{"refs/heads/", "refs/tags/", "refs/notes/"} {
			local, err := s.repo.refs(prefix)
			if err != nil {
				return nil, err
			}
			for _, r := range local {
				if why := s.repo.malformedRef(r); why != "" {
					s.stats.BrokenRefs++
					s.warn("", "", fmt.Sprintf("ref %s: malformed ref (%s): ignored, as git ignores a broken ref (git push does not send it); what it was meant to name was not scanned", r.Name(), why))
				} else if !has[gitobj.ID(r.Hash())] {
					names = append(names, r.Name().String())
				}
				if !remote[r.Name().String()] {
					// A push would create it, whatever its objects: a
					// branch of a pushed commit, named after a key.
					s.refName(r.Name().String())
				}
			}
		}
		if head, err := s.repo.st.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.HashReference &&
			!has[gitobj.ID(head.Hash())] {
			names = append(names, "HEAD") // detached
		}
		s.emptyRefGaps()
		if len(names) == 0 {
			return nil, nil // no local branch: nothing to push
		}
	}
	for _, name := range s.opts.Refs {
		if _, ok := gitobj.ParseID(name); ok {
			continue // an object ID names no ref (the gate's tips)
		}
		for _, full := range s.repo.refNames(name) {
			s.refName(full)
		}
	}
	if len(names) > 0 {
		var out []tip
		for _, name := range names {
			if h, ok := gitobj.ParseID(name); ok {
				if !s.repo.objs.Has(h) {
					return nil, &RevisionError{Rev: name, Why: fmt.Sprintf("the repository has no object %s", h)}
				}
				// An object ID may name a tag of a tree or a blob (a push's
				// new tip): peel it rather than insist on a commit.
				t, err := s.peelTip(name, h)
				if err != nil {
					return nil, fmt.Errorf("object %s: %w", name, err)
				}
				out = append(out, t)
				continue
			}
			// A ref that names a tree or a blob (itself or through tags) is
			// scanned as a full scan scans it; its findings say that no
			// commit holds them (see finding).
			if h, err := s.repo.ref(name); err == nil {
				if t, err := s.peelTip(name, h); err == nil && t.typ != gitobj.Commit {
					out = append(out, t)
					continue
				}
			}
			// resolve reads the commit: a ref that names one that cannot
			// be read is an error, as a tip the user asked for that
			// cannot be scanned, never "no commits".
			h, err := s.repo.resolve(ctx, s.objr, name)
			if err != nil {
				if _, ok := errors.AsType[*RevisionError](err); ok {
					return nil, err // it names what was given
				}
				return nil, fmt.Errorf("ref %q: %w", name, err)
			}
			out = append(out, tip{name: name, hash: h, typ: gitobj.Commit})
			if r, ok := s.replacement(h); ok {
				// git shows r wherever h is named (git replace): HEAD's
				// checkout, git log, git grep. Both are scanned: r is
				// what the user sees, h what a push sends (qa24 L1).
				s.warn(r.String(), "", fmt.Sprintf("%s is commit %s, which refs/replace/%s replaces with %s (git shows that one in its place): both are scanned", name, h, h, r))
				out = append(out, tip{name: "refs/replace/" + h.String(), hash: r, typ: gitobj.Commit})
			}
		}
		return s.packedTwins(out, names), nil
	}
	iter, err := s.repo.st.IterReferences()
	if err != nil {
		return nil, s.repo.listingError(err)
	}
	var out []tip
	failed := 0
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		s.refName(ref.Name().String())
		if ref.Type() != plumbing.HashReference {
			// Symbolic (HEAD -> a branch): the branch is listed itself,
			// but the name it points at is shown (a clone's HEAD) even
			// when no such branch exists.
			s.refName(ref.Target().String())
			return nil
		}
		t, err := s.peelTip(ref.Name().String(), gitobj.ID(ref.Hash()))
		if err != nil {
			failed++
			if why := s.repo.malformedRef(ref); why != "" {
				// git says "ignoring broken ref" and goes on: so
				// does keyscan, the ref a gap, not a missing object.
				s.stats.BrokenRefs++
				s.warn("", "", fmt.Sprintf("ref %s: malformed ref (%s): ignored, as git ignores a broken ref; what it was meant to name was not scanned", ref.Name(), why))
				return nil
			}
			s.stats.Unreadable++ // what it holds is not scanned: --strict says so
			s.warn(ref.Hash().String(), "", fmt.Sprintf("ref %s: %v", ref.Name(), err))
			return nil
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, s.repo.listingError(err)
	}
	s.emptyRefGaps()
	if _, err := storer.ResolveReference(s.repo.st, plumbing.HEAD); errors.Is(err, storer.ErrMaxResolveRecursion) {
		// Not an unborn branch: HEAD leads nowhere (HEAD -> refs/heads/a
		// -> refs/heads/a). Every ref is scanned all the same, but no
		// finding can be said to be present at HEAD.
		s.warn("", "", "HEAD is a symbolic ref that leads to no ref (a loop, or a chain too long to follow): the refs are scanned, but no finding is marked present at HEAD")
	}
	if len(out) == 0 && failed > 0 {
		// Not an empty repository but a damaged one: "no commits, no
		// credentials" would be a scan that read nothing passing as clean.
		// The cause is named when the store knows it (a pack index cut
		// short: qa36 D4), not only its effect.
		refs := fmt.Sprintf("%d refs and none resolves", failed)
		if failed == 1 {
			refs = "1 ref and it resolves"
		}
		why := "its objects are missing or unreadable"
		if ps := s.repo.objs.Problems(); len(ps) > 0 {
			why = fmt.Sprintf("its objects are not read: %v", ps[0])
			if len(ps) > 1 {
				why += fmt.Sprintf(" (and %d more problems)", len(ps)-1)
			}
		}
		if failed == 1 {
			return nil, fmt.Errorf("%s to no object in the repository: %s", refs, why)
		}
		return nil, fmt.Errorf("%s to an object in the repository: %s", refs, why)
	}
	out = s.packedTwins(out, nil)
	for _, h := range s.stashReflog() {
		out = append(out, tip{name: "refs/stash (reflog)", hash: h, typ: gitobj.Commit})
	}
	for _, wh := range s.worktreeHeads() {
		t, err := s.peelTip(wh.name, wh.hash)
		if err != nil {
			s.stats.Unreadable++
			s.warn(wh.hash.String(), "", fmt.Sprintf("%s: %v", wh.name, err))
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// worktreeHead is the detached HEAD of another worktree of the repository.
type worktreeHead struct {
	name string
	hash gitobj.ID
}

// worktreeHeads returns the detached HEADs of the repository's other
// worktrees: the main one's (common/HEAD) when the scan runs in a linked
// worktree, and each linked one's (common/worktrees/NAME/HEAD). git's
// `rev-list --all` and gc count them, so a commit made on a detached HEAD
// of another worktree is reachable; go-git lists only this worktree's HEAD.
// A HEAD naming a branch adds nothing (the branch is listed); one that
// cannot be read or parsed is skipped, as git's --all skips it.
func (s *scan) worktreeHeads() []worktreeHead {
	var dirs []string
	if s.repo.common != s.repo.gitDir {
		dirs = append(dirs, s.repo.common)
	}
	ents, _ := os.ReadDir(filepath.Join(s.repo.common, "worktrees"))
	for _, e := range ents {
		d := filepath.Join(s.repo.common, "worktrees", e.Name())
		if e.IsDir() && filepath.Clean(d) != filepath.Clean(s.repo.gitDir) {
			dirs = append(dirs, d)
		}
	}
	var out []worktreeHead
	for _, d := range dirs {
		b, err := readfile.Head(filepath.Join(d, "HEAD"), true, 128)
		if err != nil {
			continue
		}
		h, ok := gitobj.ParseID(strings.TrimSpace(string(b)))
		if !ok {
			continue
		}
		name := "HEAD"
		if d != s.repo.common {
			name = "worktrees/" + filepath.Base(d) + "/HEAD"
		}
		out = append(out, worktreeHead{name: name, hash: h})
	}
	return out
}

// packedTwins adds to out the objects of the refs packed-refs lists more
// than once (git never writes that; a crafted file does): go-git takes a
// ref's first line, git's lookup may take another, so every one is a tip,
// and a warning names the ref. A ref that has a loose file is git's loose
// ref, whatever packed-refs says. names, when not nil, are the refs asked
// for (short or full names): only their twins are added.
func (s *scan) packedTwins(out []tip, names []string) []tip {
	for _, d := range s.repo.packedDuplicates() {
		if names != nil && !slices.ContainsFunc(names, func(n string) bool {
			return n == d.name || strings.HasSuffix(d.name, "/"+n)
		}) {
			continue
		}
		if _, err := s.repo.refFS.Lstat(d.name); err == nil {
			continue // a loose ref: git reads it, not packed-refs
		}
		s.warn("", "", fmt.Sprintf("packed-refs lists %s %d times (%s): git reads one of them, keyscan scans every one", d.name, len(d.ids), idList(d.ids)))
		for _, h := range d.ids {
			if slices.ContainsFunc(out, func(t tip) bool { return t.name == d.name && t.hash == h }) {
				continue
			}
			t, err := s.peelTip(d.name, h)
			if err != nil {
				s.stats.Unreadable++
				s.warn(h.String(), "", fmt.Sprintf("ref %s (listed again in packed-refs): %v", d.name, err))
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

func idList(ids []gitobj.ID) string {
	var b strings.Builder
	for i, h := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%.12s", h.String())
	}
	return b.String()
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
	ref, err := storer.ResolveReference(s.repo.st, plumbing.HEAD)
	if err != nil {
		return gitobj.ID{}, false
	}
	return gitobj.ID(ref.Hash()), true
}

// replacement returns the commit that refs/replace/<h> puts in the place
// of commit h (git replace), following a replacement of the replacement
// as git does; false when h is not replaced or its replacement is no
// commit that can be read.
func (s *scan) replacement(h gitobj.ID) (gitobj.ID, bool) {
	r, found := h, false
	for range maxSymrefChain {
		ref, err := storer.ResolveReference(s.repo.st, plumbing.ReferenceName("refs/replace/"+r.String()))
		if err != nil || ref.Type() != plumbing.HashReference {
			break
		}
		next := gitobj.ID(ref.Hash())
		if t, _, _, err := s.readText(next); err != nil || t != gitobj.Commit || next == r {
			break
		}
		r, found = next, true
	}
	return r, found
}

// shallowBoundary returns the commits whose parents a shallow clone lacks.
func (s *scan) shallowBoundary() map[gitobj.ID]bool {
	hs, err := s.repo.st.Shallow()
	if err != nil || len(hs) == 0 {
		return nil
	}
	m := make(map[gitobj.ID]bool, len(hs))
	for _, h := range hs {
		m[gitobj.ID(h)] = true
	}
	return m
}
