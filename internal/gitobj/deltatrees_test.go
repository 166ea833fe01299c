package gitobj

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeltaTreesMatchGit: the delta trees DeltaTreesOf finds are git's
// (verify-pack -v names each entry's base), Claim says a tree is complete
// at its last blob and only then, and a tree taken out of a forest at that
// moment reads every blob in it (WalkTree) while Add refuses more of it
// and Walk no longer reads it.
func TestDeltaTreesMatchGit(t *testing.T) {
	dir := historyRepo(t)
	gitRun(t, dir, "repack", "-adf", "-q", "--depth=50", "--window=50")
	want := catAll(t, dir)
	s, err := Open(filepath.Join(dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := s.Packs()[0]
	if err := p.Load(); err != nil {
		t.Fatal(err)
	}
	// Git's trees: each object's base, then each blob's root.
	idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	base := map[ID]ID{}
	types := map[ID]string{}
	for _, line := range strings.Split(gitRun(t, dir, "verify-pack", "-v", idx[0]), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || len(f[0]) != 40 {
			continue
		}
		id, _ := ParseID(f[0])
		types[id] = f[1]
		if len(f) == 7 {
			base[id], _ = ParseID(f[6])
		}
	}
	rootOf := func(id ID) ID {
		for {
			b, ok := base[id]
			if !ok {
				return id
			}
			id = b
		}
	}
	blobs := map[ID][]ID{} // root -> its blobs
	var order []ID
	for id, typ := range types {
		if typ == "blob" {
			blobs[rootOf(id)] = append(blobs[rootOf(id)], id)
			order = append(order, id)
		}
	}
	if len(blobs) == len(order) {
		t.Fatal("no delta between blobs: the test tests nothing")
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	d, err := p.DeltaTreesOf()
	if err != nil {
		t.Fatal(err)
	}
	f := NewForest()
	left := map[ID]int{}
	for r, bs := range blobs {
		left[r] = len(bs)
	}
	w := s.NewWalker()
	read := map[ID]int{}
	var tags []ID
	v := &Visitor{
		Visit: func(tag int32, data []byte) {
			if !bytes.Equal(data, want[tags[tag]]) {
				t.Errorf("%s read wrong", tags[tag])
			}
			read[tags[tag]]++
		},
		Fail: func(tag int32, err error) { t.Errorf("%s: %v", tags[tag], err) },
	}
	for _, id := range order {
		off, ok, err := p.Index.Find(id)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", id, ok, err)
		}
		if _, err := f.Add(p, off, int32(len(tags))); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		tags = append(tags, id)
		root, complete := d.Claim(off)
		r := rootOf(id)
		rootOff, _, _ := p.Index.Find(r)
		left[r]--
		if root != rootOff || complete != (left[r] == 0) {
			t.Fatalf("%s: claim says root at %d, complete %v; git: root %s at %d, %d blobs left", id, root, complete, r, rootOff, left[r])
		}
		if again, c := d.Claim(off); again != -1 || c {
			t.Errorf("%s claimed twice: %d %v", id, again, c)
		}
		if !complete {
			continue
		}
		tree, ok := f.Take(p, root)
		if !ok {
			t.Fatalf("tree of %s not taken", r)
		}
		if _, ok := f.Take(p, root); ok {
			t.Errorf("tree of %s taken twice", r)
		}
		w.WalkTree(context.Background(), tree, v)
		for _, b := range blobs[r] {
			if read[b] != 1 {
				t.Errorf("%s read %d times with its tree", b, read[b])
			}
			if o, _, _ := p.Index.Find(b); !errors.Is(func() error { _, err := f.Add(p, o, 0); return err }(), ErrTaken) {
				t.Errorf("%s added to a tree taken", b)
			}
		}
	}
	f.Sort()
	if f.Len() != 0 {
		t.Errorf("%d trees left in the forest, all were taken", f.Len())
	}
	if len(read) != len(order) {
		t.Errorf("%d blobs read, want %d", len(read), len(order))
	}
	// A tree not complete stays in the forest and is read by Walk.
	d, _ = p.DeltaTreesOf()
	f = NewForest()
	tags = tags[:0]
	clear(read)
	for _, id := range order[:len(order)/2] {
		off, _, _ := p.Index.Find(id)
		f.Add(p, off, int32(len(tags)))
		tags = append(tags, id)
		d.Claim(off)
	}
	f.Sort()
	for i := range f.Len() {
		w.Walk(context.Background(), f, i, v)
	}
	if len(read) != len(order)/2 {
		t.Errorf("%d blobs read by Walk, want %d", len(read), len(order)/2)
	}
}
