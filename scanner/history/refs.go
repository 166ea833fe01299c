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
