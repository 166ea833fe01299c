package history

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/internal/readfile"
)

// maxGrafts bounds how much of info/grafts is read.
const maxGrafts = 16 << 20

// grafts returns the parents info/grafts gives commits (git's deprecated
// grafts, which `git replace --convert-graft-file` turns into replace
// refs): git log, git rev-list --all and a push's pack follow them, so a
// commit only a graft makes a parent is history as git shows it (qa38: a
// key in such a parent was not scanned, exit 0, while git log --all
// listed the commit). A line that is not object IDs is skipped, and said.
func (s *scan) grafts() map[gitobj.ID][]gitobj.ID {
	p := filepath.Join(s.repo.common, "info", "grafts")
	b, err := readfile.Head(p, true, maxGrafts)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.warn("", "", fmt.Sprintf("%s: %v: the parents it gives commits were not scanned", p, err))
			s.stats.Unreadable++
		}
		return nil
	}
	out := map[gitobj.ID][]gitobj.ID{}
	for n, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		var ids []gitobj.ID
		for _, w := range f {
			id, ok := gitobj.ParseID(w)
			if !ok {
				ids = nil
				break
			}
			ids = append(ids, id)
		}
		if ids == nil {
			s.warn("", "", fmt.Sprintf("%s, line %d: not a commit's ID and its parents' (git says \"bad graft data\"): ignored", p, n+1))
			continue
		}
		out[ids[0]] = append(out[ids[0]], ids[1:]...)
	}
	return out
}

// graftParents adds to the visited commits (byHash) the parents grafts
// give them, and returns those not visited yet, to be visited: their own
// parents, and grafts of theirs, in the next round. A real parent stays a
// parent: both are scanned, as both a replaced commit and its replacement
// are (see replacement).
func (s *scan) graftParents(grafts map[gitobj.ID][]gitobj.ID, byHash map[gitobj.ID]*commitInfo, excluded func(gitobj.ID) bool) []gitobj.ID {
	var more []gitobj.ID
	for h, ps := range grafts {
		ci := byHash[h]
		if ci == nil || ci.tree.IsZero() {
			continue
		}
		for _, p := range ps {
			if excluded(p) || slices.Contains(ci.parents, p) {
				continue
			}
			ci.parents = append(ci.parents, p)
			if byHash[p] == nil && !slices.Contains(more, p) {
				more = append(more, p)
				s.warn(p.String(), "", fmt.Sprintf("info/grafts makes commit %s a parent of %s (git log and git rev-list --all show it there): scanned too", p, h))
			}
		}
	}
	sortHashes(more)
	return more
}
