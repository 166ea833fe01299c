package gitobj

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
)

// A split index (core.splitIndex) keeps most entries in a shared index file,
// $GIT_DIR/sharedindex.<ID>, written now and then, and in .git/index only
// the entries that changed since, with a "link" extension that says how to
// merge them (git's Documentation/gitformat-index.txt, "Split index"):
//
//   - the shared index's ID (its trailing checksum);
//   - a delete bitmap: bit i set removes the shared index's entry i;
//   - a replace bitmap: the k-th set bit, at i, replaces the shared index's
//     entry i with this file's entry k, which has an empty path (it takes
//     the path of the entry it replaces);
//   - this file's entries after the replacements are added, sorted in.
//
// Both bitmaps are EWAH-compressed (git's ewah/ewah_io.c): a bit count, a
// word count, that many 64-bit words, big-endian, and the position of the
// last run-length word. The words are groups of a run-length word (bit 0:
// the run's bit; bits 1-32: how many 64-bit words of it; bits 33-63: how
// many literal words follow) and its literal words. A few bytes can stand
// for billions of bits, so the bits are never laid out: each set bit is
// visited, and one past the shared index's entries is an error, as in git.

// splitLink is a split index's link extension.
type splitLink struct {
	shared  ID
	deleted ewah
	replace ewah
}

// ewah is an EWAH-compressed bitmap's words.
type ewah []uint64

// parseLink reads the link extension.
func parseLink(b []byte) (*splitLink, error) {
	if len(b) < 20 {
		return nil, fmt.Errorf("truncated")
	}
	l := &splitLink{}
	copy(l.shared[:], b)
	b = b[20:]
	if len(b) == 0 {
		return l, nil // no bitmaps: nothing deleted or replaced
	}
	var err error
	if l.deleted, b, err = parseEWAH(b); err != nil {
		return nil, fmt.Errorf("delete bitmap: %v", err)
	}
	if l.replace, b, err = parseEWAH(b); err != nil {
		return nil, fmt.Errorf("replace bitmap: %v", err)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%d bytes after the bitmaps", len(b))
	}
	return l, nil
}

// parseEWAH reads one serialised EWAH bitmap from b and returns its words
// and the rest of b.
func parseEWAH(b []byte) (ewah, []byte, error) {
	if len(b) < 8 {
		return nil, nil, fmt.Errorf("truncated")
	}
	n := binary.BigEndian.Uint32(b[4:8]) // b[0:4] is the bit count: the words say it all
	b = b[8:]
	if uint64(n) > uint64(len(b))/8 {
		return nil, nil, fmt.Errorf("%d words in %d bytes", n, len(b))
	}
	w := make(ewah, n)
	for i := range w {
		w[i] = binary.BigEndian.Uint64(b[8*i:])
	}
	b = b[8*int(n):]
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("truncated")
	}
	return w, b[4:], nil // the last run-length word's position: only for appending
}

// each calls fn with the position of each set bit, in increasing order;
// a bit at or past limit is an error.
func (w ewah) each(limit int, fn func(pos int) error) error {
	pos := uint64(0) // of the next word's first bit
	for i := 0; i < len(w); {
		rlw := w[i]
		i++
		run := (rlw >> 1) & (1<<32 - 1)
		lits := int(rlw >> 33)
		if rlw&1 != 0 {
			for k := uint64(0); k < run*64; k++ {
				if pos+k >= uint64(limit) {
					return fmt.Errorf("bit %d past the %d entries", pos+k, limit)
				}
				if err := fn(int(pos + k)); err != nil {
					return err
				}
			}
		}
		pos = min(pos+run*64, 1<<62) // past any limit: only kept from overflowing
		if lits > len(w)-i {
			return fmt.Errorf("%d literal words, %d left", lits, len(w)-i)
		}
		for _, word := range w[i : i+lits] {
			for word != 0 {
				b := uint64(bits.TrailingZeros64(word))
				if pos+b >= uint64(limit) {
					return fmt.Errorf("bit %d past the %d entries", pos+b, limit)
				}
				if err := fn(int(pos + b)); err != nil {
					return err
				}
				word &= word - 1
			}
			pos = min(pos+64, 1<<62)
		}
		i += lits
	}
	return nil
}

// mergeSplit merges split index idx, whose link extension is link, with
// its shared index file data, as git's merge_base_index does.
func mergeSplit(idx *Index, link *splitLink, data []byte) (*Index, error) {
	if len(data) < 20 || !bytes.Equal(data[len(data)-20:], link.shared[:]) {
		return nil, fmt.Errorf("not the index the link names (its checksum differs)")
	}
	base, baseLink, err := parseIndex(data)
	if err != nil {
		return nil, err
	}
	if baseLink != nil {
		return nil, fmt.Errorf("a shared index that is split itself")
	}
	ents := base.Entries // parseIndex made it: ours to change
	removed := make([]bool, len(ents))
	k := 0 // the next of idx's entries to replace with
	err = link.replace.each(len(ents), func(pos int) error {
		if k >= len(idx.Entries) {
			return fmt.Errorf("more replacements than entries")
		}
		e := idx.Entries[k]
		if e.Path != "" {
			return fmt.Errorf("replacement entry %d has a path (%q)", k, e.Path)
		}
		e.Path = ents[pos].Path
		ents[pos] = e
		k++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replace bitmap: %v", err)
	}
	err = link.deleted.each(len(ents), func(pos int) error {
		removed[pos] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delete bitmap: %v", err)
	}
	// The entries added since are sorted; merged into the shared index's
	// (also sorted) as git's add_index_entry inserts each: one of the same
	// path and stage replaces the old, and a merged one (stage 0) drops
	// the path's conflict stages.
	added := idx.Entries[k:]
	out := make([]IndexEntry, 0, len(ents)+len(added))
	i := 0
	for _, a := range added {
		if a.Path == "" {
			return nil, fmt.Errorf("added entry without a path")
		}
		if n := len(out); n > 0 && entryOrder(out[n-1], a) >= 0 {
			return nil, fmt.Errorf("added entries out of order at %q", a.Path)
		}
		for ; i < len(ents) && (removed[i] || entryOrder(ents[i], a) < 0); i++ {
			if !removed[i] {
				out = append(out, ents[i])
			}
		}
		// The same entry is replaced; a merged one (stage 0) replaces the
		// path's conflict stages too.
		for ; i < len(ents) && (removed[i] || ents[i].Path == a.Path && (a.Stage == 0 || ents[i].Stage == a.Stage)); i++ {
		}
		out = append(out, a)
	}
	for ; i < len(ents); i++ {
		if !removed[i] {
			out = append(out, ents[i])
		}
	}
	return &Index{Entries: out, Trees: idx.Trees, ModTime: idx.ModTime}, nil
}

// entryOrder orders index entries as git does: by path, bytewise, then by
// stage.
func entryOrder(a, b IndexEntry) int {
	if a.Path != b.Path {
		if a.Path < b.Path {
			return -1
		}
		return 1
	}
	return int(a.Stage) - int(b.Stage)
}
