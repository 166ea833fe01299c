package history

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// RefNames returns the full names of the repository's refs that begin with
// prefix (refs/heads/, refs/remotes/origin/), sorted, and whether HEAD is
// detached. The keyscan-history pre-push hook needs them: the pre-commit
// framework tells a hook only the first ref of a push, so the hook scans
// every local branch against the remote's tracking branches instead (see
// cmd/keyscan's --unpushed).
func RefNames(path, prefix string) (names []string, detached bool, err error) {
	r, err := openRepo(path, Options{})
	if err != nil {
		return nil, false, err
	}
	defer r.close()
	iter, err := r.git.References()
	if err != nil {
		return nil, false, fmt.Errorf("%s: listing refs: %w", path, err)
	}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if n := ref.Name().String(); strings.HasPrefix(n, prefix) && ref.Type() == plumbing.HashReference {
			names = append(names, n)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("%s: listing refs: %w", path, err)
	}
	if head, err := r.git.Storer.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.HashReference {
		detached = true
	}
	sort.Strings(names)
	return names, detached, nil
}

// PartialClone reports whether the repository at path is a partial clone
// (git clone --filter=blob:none, a CI checkout with a filter): its
// historical blobs stay on the promisor remote until asked for, so a scan
// cannot read them, and "no credentials found" would say nothing.
func PartialClone(path string) bool {
	r, err := openRepo(path, Options{})
	if err != nil {
		return false
	}
	defer r.close()
	cfg, err := r.git.Config()
	if err != nil || cfg.Raw == nil {
		return false
	}
	if cfg.Raw.Section("extensions").Option("partialclone") != "" {
		return true
	}
	for _, sub := range cfg.Raw.Section("remote").Subsections {
		if strings.EqualFold(sub.Option("promisor"), "true") {
			return true
		}
	}
	return false
}
