package history

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// allObjects returns the type of every object in the repository, packed or
// loose, for AllObjects. Packed objects are typed from their entry headers
// (following delta chains) without inflating them.
func (s *scan) allObjects(ctx context.Context) (map[gitobj.ID]gitobj.Type, error) {
	if s.all != nil {
		return s.all, nil
	}
	all := map[gitobj.ID]gitobj.Type{}
	for _, p := range s.loadPacks() {
		offs := p.Order()
		memo := make(map[int64]gitobj.Type, len(offs))
		for i, off := range offs {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			h, err := p.IDAt(i)
			if err != nil {
				continue
			}
			t, err := p.ResolvedType(off, memo)
			if err != nil {
				s.warn(h.String(), "", fmt.Sprintf("cannot read object type in %s: %v", p.Path, err))
				s.stats.Unreadable++
				continue
			}
			all[h] = t
		}
	}
	var loose []gitobj.ID
	if err := s.repo.objs.LooseIDs(func(h gitobj.ID) { loose = append(loose, h) }); err != nil {
		return nil, fmt.Errorf("listing loose objects: %w", err)
	}
	for _, h := range loose {
		if _, ok := all[h]; ok {
			continue
		}
		// Its type from its header: the object is read whole, and its
		// content checked against its name, when it is scanned; a loose
		// blob of a gigabyte is not inflated to be typed (qa13 HIGH-7).
		t, _, _, ok, err := s.repo.objs.LooseHead(h, 0)
		if err == nil && !ok {
			continue // gone since it was listed
		}
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("cannot read loose object: %v", err))
			s.stats.Unreadable++ // what it holds is not scanned: --strict says so
			continue
		}
		all[h] = t
	}
	s.all = all
	return all, nil
}

func sortHashes(hs []gitobj.ID) {
	slices.SortFunc(hs, func(a, b gitobj.ID) int { return bytes.Compare(a[:], b[:]) })
}

func sortStrings(ss []string) { slices.Sort(ss) }
