package history

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// refs returns the repository's refs whose full names begin with prefix
// ("" for every ref), symbolic ones (HEAD -> a branch) left out.
func (r *repo) refs(prefix string) ([]*plumbing.Reference, error) {
	iter, err := r.git.References()
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	var out []*plumbing.Reference
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference && strings.HasPrefix(ref.Name().String(), prefix) {
			out = append(out, ref)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing refs: %w", err)
	}
	return out, nil
}

// partialClone reports whether the repository is a partial clone: its
// configuration names a promisor remote (see Result.Partial).
func (r *repo) partialClone() bool {
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
