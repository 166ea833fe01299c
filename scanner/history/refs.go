package history

import (
	"bufio"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// refs returns the repository's refs whose full names begin with prefix
// ("" for every ref), symbolic ones (HEAD -> a branch) left out.
func (r *repo) refs(prefix string) ([]*plumbing.Reference, error) {
	iter, err := r.st.IterReferences()
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
	cfg, err := r.st.Config() // with its extensions (see extStorage)
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

// twin is a ref that packed-refs lists more than once, with the distinct
// objects it names there in file order.
type twin struct {
	name string
	ids  []gitobj.ID
}

// packedDuplicates returns the refs packed-refs lists more than once with
// different objects. It reads the file as git does: a line is an object ID,
// a space and the ref's name; comment ("#") and peel ("^") lines are
// passed over, as is a line git would refuse (go-git reads the rest).
func (r *repo) packedDuplicates() []twin {
	f, err := r.refFS.Open("packed-refs")
	if err != nil {
		return nil
	}
	defer f.Close()
	seen := map[string]int{}
	var all []twin
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		hex, name, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "^") {
			continue
		}
		h, ok := gitobj.ParseID(hex)
		if !ok {
			continue
		}
		i, ok := seen[name]
		if !ok {
			seen[name] = len(all)
			all = append(all, twin{name: name, ids: []gitobj.ID{h}})
			continue
		}
		if !slices.Contains(all[i].ids, h) {
			all[i].ids = append(all[i].ids, h)
		}
	}
	var out []twin
	for _, t := range all {
		if len(t.ids) > 1 {
			out = append(out, t)
		}
	}
	return out
}
