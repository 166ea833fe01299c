package archive

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// A git pack met as a file (objects.pack copied out of a repository) or
// inside a git bundle (`git bundle create backup.bundle --all`, the usual
// way to back up or hand over a repository: `git clone backup.bundle`
// restores every object) holds the repository's history in zlib streams,
// which a binary file's printable runs never show. It is read as git's
// index-pack reads an arriving pack, entry after entry without an index,
// by internal/gitobj's ReadPackStream (the entry and delta code every
// other reader of objects uses): every blob is a member, and every
// commit's and annotated tag's message and header lines are members too,
// named as history names them ("commit <id> message").
//
// A blob is named by its path when a tree of the pack names it and a
// commit of the pack has that tree as its root (or a tree so named as a
// subtree; git writes commits first, then trees in the order of its walk):
// the first such path, so that every version of a file carries the file's path.
// git gc writes blobs before trees, so a blob no tree has named yet is
// held (64 MiB of them at most) and read once the pack is.
// Otherwise (a blob no tree names, a pack written in another order) it is
// named by its object ID, which `git log --all --find-object=ID` finds in
// a clone. Objects that cannot be read (a corrupt entry, a delta whose base
// the pack lacks: a thin pack or an incremental bundle's prerequisite, an
// object over max_file_size) are warnings counted as not scanned, and
// what the pack holds is charged to the archive's byte budget as it is
// inflated, delta bases built again included.

// shortID is how many hex digits of a commit's or tag's ID its message's
// member name shows, as in history's pseudo-paths.
const shortID = 12

// gitPack reads a pack, or the pack of a bundle (f), called name.
func (w *walker) gitPack(name string, data []byte, f Format, lv *level, depth int) {
	pack := data
	if f == Bundle {
		b, err := gitobj.ParseBundle(data)
		if err != nil {
			w.warn(name, "git bundle not read: %v", err)
			return
		}
		if len(b.Pack) == 0 && len(b.Refs) == 0 {
			return // an empty bundle
		}
		pack = b.Pack
		lv.compressed = int64(len(pack))
	}
	treePath := map[gitobj.ID]string{} // a tree's path, with its trailing '/' ("" for a root)
	blobPath := map[gitobj.ID]string{}
	var (
		later []gitobj.StreamObject // blobs no tree named yet
		trees []gitobj.StreamObject // trees not named yet
		held  int64
	)
	charge := func(n int64) error {
		if w.lim.MaxBytes > 0 && w.bytes+n > w.lim.MaxBytes {
			return &limitError{fmt.Sprintf("more than %d decompressed bytes ([archives] max_bytes): the rest of the archive is not scanned", w.lim.MaxBytes), true}
		}
		if w.lim.MaxRatio > 0 && lv.read+n > max(w.lim.ratioFloor(), w.lim.MaxRatio*lv.compressed) {
			lv.stopped = true
			return &limitError{fmt.Sprintf("expands more than %d times ([archives] max_ratio; a zip bomb?): the rest of it is not scanned", w.lim.MaxRatio), false}
		}
		w.bytes += n
		lv.read += n
		return nil
	}
	// A commit's or tag's message and header lines are handed on as
	// members, but not counted against max_members, which bounds files:
	// a bundle of 5,000 commits would otherwise spend the cap on them.
	// Each was inflated from the pack, so max_bytes bounds them.
	text := func(kind string, id gitobj.ID, data []byte) bool {
		short := id.String()[:shortID]
		for _, t := range []struct {
			suffix string
			b      []byte
		}{{"message", gitobj.Message(data)}, {"header", gitobj.HeaderText(data)}} {
			if len(t.b) == 0 {
				continue
			}
			p := name + "!" + kind + " " + short + " " + t.suffix
			if int64(len(t.b)) > w.lim.MaxMemberSize {
				w.stats.TooLarge++
				w.warn(p, "member larger than %d bytes (max_file_size): not scanned", w.lim.MaxMemberSize)
				continue
			}
			w.stats.Members++
			w.yield(Member{Name: p, Data: t.b})
		}
		return true
	}
	// names records the paths a tree gives its entries, when its own path
	// is known.
	names := func(o gitobj.StreamObject) bool {
		prefix, ok := treePath[o.ID]
		if !ok {
			return false
		}
		_ = gitobj.ParseTree(o.Data, func(e gitobj.TreeEntry) {
			switch {
			case e.IsDir():
				if _, ok := treePath[e.ID]; !ok {
					treePath[e.ID] = prefix + string(e.Name) + "/"
				}
			case !e.IsSubmodule():
				if _, ok := blobPath[e.ID]; !ok {
					blobPath[e.ID] = prefix + string(e.Name)
				}
			}
		})
		return true
	}
	yield := func(o gitobj.StreamObject) bool {
		if w.stopped || w.ctx.Err() != nil {
			return false
		}
		switch o.Type {
		case gitobj.Commit:
			if c, err := gitobj.ParseCommit(o.Data); err == nil {
				if _, ok := treePath[c.Tree]; !ok {
					treePath[c.Tree] = ""
				}
			}
			return text("commit", o.ID, o.Data)
		case gitobj.Tag:
			return text("tag", o.ID, o.Data)
		case gitobj.Tree:
			if !names(o) && len(o.Data) > 0 { // an empty tree names nothing
				// An object held costs its place in the list too: a pack
				// of empty trees holds no bytes.
				if n := int64(len(o.Data)) + heldCost; held+n <= maxHeld {
					trees = append(trees, o) // its commit or parent may come later
					held += n
				}
			}
			return true
		case gitobj.Blob:
			p, ok := blobPath[o.ID]
			if !ok {
				if n := int64(len(o.Data)) + heldCost; held+n <= maxHeld {
					// A tree that names it may come later (git gc writes
					// blobs before trees): read at the end.
					later = append(later, o)
					held += n
					return true
				}
				p = o.ID.String()
			}
			return w.member(name, p, bytes.NewReader(o.Data), depth)
		}
		return true
	}
	bad := func(off int64, err error) {
		if errors.As(err, new(*gitobj.TooLargeError)) {
			w.stats.TooLarge++ // over max_file_size: see Stats.TooLarge
		}
		w.warn(name, "git object at offset %d of its pack not read: %v", off, err)
	}
	_, err := gitobj.ReadPackStream(pack, gitobj.StreamLimits{
		MaxObjectSize: w.lim.MaxMemberSize,
		// A member that shrank is packed as a delta of its larger
		// version: that base is built (not scanned) as a nested archive
		// over max_file_size would be read, so that the small member is.
		MaxBaseSize: w.lim.MaxArchiveSize,
		Charge:      charge,
	}, yield, bad)
	for progress := true; progress; {
		progress = false
		left := trees[:0]
		for _, t := range trees {
			if names(t) {
				progress = true
			} else {
				left = append(left, t)
			}
		}
		trees = left
	}
	for _, o := range later {
		if w.stopped || w.ctx.Err() != nil {
			break
		}
		p, ok := blobPath[o.ID]
		if !ok {
			p = o.ID.String()
		}
		if !w.member(name, p, bytes.NewReader(o.Data), depth) {
			break
		}
	}
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.limitHit(name, le)
		return
	}
	if err != nil {
		w.warn(name, "git pack: %v", err)
	}
}

// maxHeld bounds the blobs of a pack held until its trees are read, to
// name them by path, each counted with heldCost for its place in the list.
const (
	maxHeld  = 64 << 20
	heldCost = 64
)
