package history

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// refs returns the repository's refs whose full names begin with prefix
// ("" for every ref), symbolic ones (HEAD -> a branch) left out.
func (r *repo) refs(prefix string) ([]*plumbing.Reference, error) {
	iter, err := r.st.IterReferences()
	if err != nil {
		return nil, r.listingError(err)
	}
	var out []*plumbing.Reference
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference && strings.HasPrefix(ref.Name().String(), prefix) {
			out = append(out, ref)
		}
		return nil
	})
	if err != nil {
		return nil, r.listingError(err)
	}
	return out, nil
}

// listingError is err, from listing the refs, with what caused it: for a
// packed-refs line go-git refuses, the file and the line's number (qa36
// D4: "malformed packed-ref" named neither), as git names the line. The
// line is not quoted: it is the repository's, and may hold anything.
func (r *repo) listingError(err error) error {
	if errors.Is(err, dotgit.ErrPackedRefsBadFormat) {
		if n := r.badPackedRefsLine(); n > 0 {
			return fmt.Errorf("listing refs: %s, line %d: malformed packed-ref (want an object ID, a space and a ref's name)", filepath.Join(r.common, "packed-refs"), n)
		}
	}
	return fmt.Errorf("listing refs: %w", err)
}

// badPackedRefsLine returns the number of the first line of packed-refs
// that go-git refuses (a line that is no comment nor peel, not two words
// split by one space), 0 when none is.
func (r *repo) badPackedRefsLine() int {
	f, err := r.refFS.Open("packed-refs")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		if len(strings.Split(line, " ")) != 2 {
			return n
		}
	}
	return 0
}

// malformedRef says why ref's file (or packed-refs line) names no object,
// "" when it names one: go-git reads garbage as the zero object ID, or the
// hex digits it begins with, and the ref then read as one whose object is
// missing (qa36 D4). git calls it a broken ref and ignores it.
func (r *repo) malformedRef(ref *plumbing.Reference) string {
	if f, err := r.refFS.Open(ref.Name().String()); err == nil {
		b := make([]byte, 256)
		n, _ := io.ReadFull(f, b)
		f.Close()
		line, _, _ := strings.Cut(string(b[:n]), "\n")
		line = strings.TrimSpace(line)
		if _, ok := gitobj.ParseID(line); !ok && !strings.HasPrefix(line, "ref:") {
			return "its file holds no object ID"
		}
		return ""
	}
	if ref.Hash().IsZero() {
		return "packed-refs gives it no object ID"
	}
	return ""
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
