package history

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// allObjects returns the type of every object in the repository, packed or
// loose, for AllObjects. Packed objects are typed from their entry headers
// (following delta chains) without inflating them.
func (s *scan) allObjects(ctx context.Context) (map[plumbing.Hash]plumbing.ObjectType, error) {
	if s.all != nil {
		return s.all, nil
	}
	s.loadPacks()
	all := map[plumbing.Hash]plumbing.ObjectType{}
	for _, p := range s.repo.packs {
		memo := make(map[int64]byte, len(p.offsets))
		for i, off := range p.offsets {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			h, err := p.idx.FindHash(off)
			if err != nil {
				continue
			}
			t, err := p.objectType(off, memo)
			if err != nil {
				s.warn(h.String(), "", fmt.Sprintf("cannot read object type in %s: %v", p.name, err))
				continue
			}
			all[h] = plumbing.ObjectType(t)
		}
	}
	err := s.repo.store.ForEachObjectHash(func(h plumbing.Hash) error {
		if _, ok := all[h]; ok {
			return nil
		}
		o, err := s.repo.store.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			s.warn(h.String(), "", fmt.Sprintf("cannot read loose object: %v", err))
			return nil
		}
		all[h] = o.Type()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing loose objects: %w", err)
	}
	s.all = all
	return all, nil
}

func sortHashes(hs []plumbing.Hash) {
	slices.SortFunc(hs, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
}

func sortStrings(ss []string) { slices.Sort(ss) }
