package gitobj

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gitRun runs git in dir with a fixed identity and no user configuration.
func gitRun(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com",
		"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// historyRepo makes a repository whose files change over many commits, so
// that packing it produces delta chains.
func historyRepo(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q")
	var body strings.Builder
	for i := range 40 {
		body.WriteString("line " + strconv.Itoa(i) + " of a file that changes a little every commit\n")
	}
	for c := range 12 {
		for f := range 5 {
			p := filepath.Join(dir, "d"+strconv.Itoa(f%2), "f"+strconv.Itoa(f)+".txt")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body.String()+"commit "+strconv.Itoa(c)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		gitRun(t, dir, "add", ".")
		gitRun(t, dir, "commit", "-q", "--no-verify", "-m", "c"+strconv.Itoa(c))
	}
	gitRun(t, dir, "tag", "-a", "-m", "v1", "v1")
	return dir
}

// catAll returns every object of the repository as git cat-file sees it.
func catAll(t testing.TB, dir string) map[ID][]byte {
	t.Helper()
	out := gitRun(t, dir, "cat-file", "--batch-all-objects", "--batch")
	objs := map[ID][]byte{}
	r := bufio.NewReader(strings.NewReader(out))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		f := strings.Fields(line)
		id, _ := ParseID(f[0])
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1) // the content and a newline
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatal(err)
		}
		objs[id] = data[:n]
	}
	return objs
}

// TestObjectsMatchGit reads every object of repositories packed with
// offset and with ref deltas, and loose, with the pack index on disk and
// in memory, and compares with git's view.
func TestObjectsMatchGit(t *testing.T) {
	for _, tc := range []struct{ name, repack string }{
		{"loose", ""},
		{"ofs-delta", "-c repack.useDeltaBaseOffset=true"},
		{"ref-delta", "-c repack.useDeltaBaseOffset=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := historyRepo(t)
			if tc.repack != "" {
				args := append(strings.Fields(tc.repack), "repack", "-adf", "-q", "--depth=50", "--window=50")
				gitRun(t, dir, args...)
			}
			want := catAll(t, dir)
			for _, load := range []bool{false, true} {
				s, err := Open(filepath.Join(dir, ".git", "objects"), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if tc.repack != "" && len(s.Packs()) != 1 {
					t.Fatalf("%d packs, want 1", len(s.Packs()))
				}
				for _, p := range s.Packs() {
					if load {
						if err := p.Load(); err != nil {
							t.Fatal(err)
						}
					}
				}
				r := s.NewReader(1 << 20)
				for id, data := range want {
					_, got, err := r.Read(id)
					if err != nil {
						t.Fatalf("load %v: %s: %v", load, id, err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("load %v: %s: content differs from git cat-file", load, id)
					}
				}
				if _, _, err := r.Read(ID{1, 2, 3}); err == nil {
					t.Error("reading a missing object: no error")
				}
				n := 0
				if err := s.LooseIDs(func(ID) { n++ }); err != nil {
					t.Fatal(err)
				}
				if tc.repack == "" && n != len(want) {
					t.Errorf("%d loose objects listed, want %d", n, len(want))
				}
				s.Close()
			}
		})
	}
}

// TestPackIndex reads the index git writes (version 2, with and without
// 64-bit offsets, and version 1), on disk and in memory, and checks every
// lookup against git's own listing of the pack.
func TestPackIndex(t *testing.T) {
	dir := historyRepo(t)
	gitRun(t, dir, "repack", "-adfq")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, got %v", packs)
	}
	// verify-pack -v lists each object with its offset, in pack order.
	want := map[ID]int64{}
	var order []ID
	for _, l := range strings.Split(gitRun(t, dir, "verify-pack", "-v", strings.TrimSuffix(packs[0], ".pack")+".idx"), "\n") {
		f := strings.Fields(l)
		if len(f) < 5 {
			continue
		}
		if id, ok := ParseID(f[0]); ok {
			off, _ := strconv.ParseInt(f[4], 10, 64)
			want[id] = off
			order = append(order, id)
		}
	}
	// "2,0" puts every offset in the 64-bit table.
	for _, tc := range []struct{ name, version string }{{"v2", "2"}, {"v2 with 64-bit offsets", "2,0"}, {"v1", "1"}} {
		t.Run(tc.name, func(t *testing.T) {
			idxPath := filepath.Join(t.TempDir(), "pack.idx")
			gitRun(t, dir, "index-pack", "--index-version="+tc.version, "-o", idxPath, packs[0])
			data, err := os.ReadFile(idxPath)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(idxPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			onDisk, err := OpenPackIndex(f, int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			inMem, err := ReadPackIndex(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range []*PackIndex{onDisk, inMem} {
				if x.Len() != len(want) {
					t.Errorf("%d objects, want %d", x.Len(), len(want))
				}
				for id, off := range want {
					got, ok, err := x.Find(id)
					if err != nil || !ok || got != off {
						t.Fatalf("Find(%s) = %d, %v, %v; want %d", id, got, ok, err, off)
					}
				}
				if _, ok, err := x.Find(ID{0xab, 0xab}); ok || err != nil {
					t.Errorf("Find of a missing object: %v, %v", ok, err)
				}
				ord, offs, err := x.PackOrder()
				if err != nil {
					t.Fatal(err)
				}
				for i, j := range ord {
					id, err := x.ID(int(j))
					if err != nil || id != order[i] || offs[i] != want[id] {
						t.Fatalf("pack order %d: %s at %d, want %s", i, id, offs[i], order[i])
					}
				}
			}
			for _, cut := range []int{0, 7, 500, 1100, len(data) / 2, len(data) - 41} {
				if _, err := ReadPackIndex(data[:cut]); err == nil {
					t.Errorf("index cut at %d: no error", cut)
				}
				if _, err := OpenPackIndex(bytes.NewReader(data[:cut]), int64(cut)); err == nil && cut < len(data)/2 {
					t.Errorf("index on disk cut at %d: no error", cut)
				}
			}
		})
	}
}

// TestIndexVersionsMatchGit parses the index in each version git writes and
// compares with git ls-files --stage.
func TestIndexVersionsMatchGit(t *testing.T) {
	dir := historyRepo(t)
	for p, body := range map[string]string{"d0/sub/deeper/new file.txt": "x\n", "a-b": "y\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "update-index", "--chmod=+x", "a-b")
	want := gitRun(t, dir, "ls-files", "--stage")
	for _, v := range []string{"2", "3", "4"} {
		gitRun(t, dir, "update-index", "--index-version", v)
		idx, err := ReadIndex(filepath.Join(dir, ".git", "index"), "")
		if err != nil {
			t.Fatalf("version %s: %v", v, err)
		}
		var got strings.Builder
		for _, e := range idx.Entries {
			got.WriteString(strconv.FormatUint(uint64(e.Mode), 8) + " " + e.ID.String() + " " + strconv.Itoa(int(e.Stage)) + "\t" + e.Path + "\n")
		}
		if got.String() != want {
			t.Errorf("version %s:\ngot\n%s\nwant\n%s", v, got.String(), want)
		}
	}
	gitRun(t, dir, "write-tree")
	idx, err := ReadIndex(filepath.Join(dir, ".git", "index"), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := idx.Trees[""].ID.String(), strings.TrimSpace(gitRun(t, dir, "write-tree")); got != want {
		t.Errorf("cache-tree root %s, want %s", got, want)
	}
}

// TestTreesAndCommits parses every tree and commit of a repository and
// checks them against git's own listing.
func TestTreesAndCommits(t *testing.T) {
	dir := historyRepo(t)
	s, err := Open(filepath.Join(dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := s.NewReader(0)
	head, _ := ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD")))
	tag, _ := ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "v1")))
	tree, err := r.CommitTree(tag)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD^{tree}")); tree.String() != want {
		t.Errorf("tree of the tag %s, want %s", tree, want)
	}
	data, err := r.ReadType(head, Commit)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCommit(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD^")); len(c.Parents) != 1 || c.Parents[0].String() != want || c.Author != "T <t@example.com>" || c.When.IsZero() {
		t.Errorf("commit header %+v", c)
	}
	tdata, err := r.ReadType(tree, Tree)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	ents, err := TreeEntries(tdata)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		kind := "blob"
		if e.IsDir() {
			kind = "tree"
		}
		got.WriteString(strconv.FormatUint(uint64(e.Mode), 8) + " " + kind + " " + e.ID.String() + "\t" + string(e.Name) + "\n")
	}
	want := gitRun(t, dir, "ls-tree", "HEAD")
	if strings.ReplaceAll(want, "040000", "40000") != got.String() {
		t.Errorf("ls-tree:\n%s\nparsed:\n%s", want, got.String())
	}
	if b := AppendTreeEntry(nil, 0o100644, "a", ID{1}); HashObject(Tree, b).String() == "" {
		t.Error("no hash")
	}
	if got := HashObject(Blob, []byte("hello\n")).String(); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("HashObject = %s", got)
	}
}

// TestForestMatchesGit reads every object of a packed repository through a
// Forest, each delta tree walked from its base with pooled buffers, and
// compares with git's view; a limit turns the larger objects no other is
// built on into TooLargeErrors.
func TestForestMatchesGit(t *testing.T) {
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
	var ids []ID
	f := NewForest()
	for id := range want {
		off, ok, err := p.Index.Find(id)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", id, ok, err)
		}
		if _, err := f.Add(p, off, int32(len(ids))); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	f.Sort()
	for _, limit := range []int64{0, 1000} {
		seen := map[ID]bool{}
		w := s.NewWalker()
		v := &Visitor{
			Limit: limit,
			Visit: func(tag int32, data []byte) {
				id := ids[tag]
				// An object over the limit that others are built on is
				// read anyway (Visitor.Limit); the caller decides.
				if seen[id] || !bytes.Equal(data, want[id]) {
					t.Errorf("limit %d: %s read wrong, or twice", limit, id)
				}
				seen[id] = true
			},
			Fail: func(tag int32, err error) {
				id := ids[tag]
				var tl *TooLargeError
				if !errors.As(err, &tl) || limit == 0 || tl.Size != int64(len(want[id])) {
					t.Errorf("limit %d: %s: %v", limit, id, err)
				}
				seen[id] = true
			},
		}
		for i := range f.Len() {
			w.Walk(context.Background(), f, i, v)
		}
		if len(seen) != len(want) {
			t.Errorf("limit %d: %d objects reported, want %d", limit, len(seen), len(want))
		}
	}
}

// TestMessagesAndTags: Message gives what git prints as a commit's or tag's
// message (%B, and for-each-ref's contents), ParseTag the tag's header.
func TestMessagesAndTags(t *testing.T) {
	dir := historyRepo(t)
	gitRun(t, dir, "commit", "-q", "--allow-empty", "--no-verify", "-m", "subject line", "-m", "body: two\nlines")
	gitRun(t, dir, "-c", "tag.gpgsign=false", "tag", "-a", "-m", "release notes\n\nmore", "v2", "HEAD~1")
	s, err := Open(filepath.Join(dir, ".git", "objects"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := s.NewReader(0)
	for _, rev := range []string{"HEAD", "HEAD~1", "v1", "v2"} {
		id, _ := ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", rev)))
		typ, data, err := r.Read(id)
		if err != nil {
			t.Fatal(err)
		}
		want := gitRun(t, dir, "cat-file", typ.String(), rev)
		_, want, _ = strings.Cut(want, "\n\n")
		if got := string(Message(data)); got != want {
			t.Errorf("%s: message %q, want %q", rev, got, want)
		}
		if typ != Tag {
			continue
		}
		h, err := ParseTag(data)
		if err != nil {
			t.Fatal(err)
		}
		target := strings.TrimSpace(gitRun(t, dir, "rev-parse", rev+"^{}"))
		if h.Object.String() != target || h.Name != rev || h.Tagger != "T <t@example.com>" || h.When.IsZero() {
			t.Errorf("%s: tag header %+v, want object %s", rev, h, target)
		}
	}
	if got := Message([]byte("tree x\nparent y")); got != nil {
		t.Errorf("message of an object without one: %q", got)
	}
	if _, err := ParseTag([]byte("tag v1\n\nno object line\n")); err == nil {
		t.Error("ParseTag accepted a tag without an object line")
	}
}

// TestForestAdmits: an entry over Visitor.Limit is read whole when Admit
// says yes to its first AdmitHead bytes (inflated alone, or built from its
// delta alone) and it is within AdmitLimit; otherwise it is too large, as
// before. Every blob of the repository starts "line ", and most are deltas
// after the repack.
func TestForestAdmits(t *testing.T) {
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
	var ids []ID
	f := NewForest()
	for id := range want {
		off, ok, err := p.Index.Find(id)
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", id, ok, err)
		}
		if _, err := f.Add(p, off, int32(len(ids))); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	f.Sort()
	const limit = 1000
	for _, admitLimit := range []int64{1 << 20, 1500} {
		read, tooLarge, asked := 0, 0, 0
		w := s.NewWalker()
		v := &Visitor{
			Limit:      limit,
			AdmitLimit: admitLimit,
			AdmitHead:  5,
			Admit: func(head []byte) bool {
				asked++
				return string(head) == "line "
			},
			Visit: func(tag int32, data []byte) {
				if !bytes.Equal(data, want[ids[tag]]) {
					t.Errorf("admit limit %d: %s read wrong", admitLimit, ids[tag])
				}
				read++
			},
			Fail: func(tag int32, err error) {
				id := ids[tag]
				var tl *TooLargeError
				if !errors.As(err, &tl) || tl.Size != int64(len(want[id])) {
					t.Fatalf("admit limit %d: %s: %v", admitLimit, id, err)
				}
				if tl.Size <= admitLimit && bytes.HasPrefix(want[id], []byte("line ")) {
					t.Errorf("admit limit %d: %s (%d bytes, starts \"line \") not admitted", admitLimit, id, tl.Size)
				}
				tooLarge++
			},
		}
		for i := range f.Len() {
			w.Walk(context.Background(), f, i, v)
		}
		if read+tooLarge != len(want) {
			t.Errorf("admit limit %d: %d objects reported, want %d", admitLimit, read+tooLarge, len(want))
		}
		switch {
		case admitLimit > limit*2 && (tooLarge != 0 || asked == 0):
			t.Errorf("admit limit %d: %d too large, %d heads asked about; want every blob admitted", admitLimit, tooLarge, asked)
		case admitLimit == 1500 && tooLarge == 0:
			t.Errorf("admit limit %d: every blob read; want those over the admit limit too large", admitLimit)
		}
	}
}

// TestDeltaHead: the head DeltaHead builds is the start of what ApplyDelta
// builds, for every delta of a real pack; a delta that does not apply to
// the base is refused as ApplyDelta refuses it.
func TestDeltaHead(t *testing.T) {
	base := []byte(strings.Repeat("0123456789abcdef", 64))
	target := append([]byte("new head "), base[100:900]...)
	// A delta by hand: source and target sizes, an insert, a copy.
	delta := appendLEB(nil, uint64(len(base)))
	delta = appendLEB(delta, uint64(len(target)))
	delta = append(delta, 9)
	delta = append(delta, "new head "...)
	delta = append(delta, 0x80|0x01|0x10|0x20, 100, 0x20, 0x03) // copy 800 bytes from offset 100
	whole, err := ApplyDelta(base, delta, nil)
	if err != nil || !bytes.Equal(whole, target) {
		t.Fatalf("ApplyDelta: %v", err)
	}
	for _, n := range []int{0, 4, 9, 10, 512, len(target), len(target) + 10} {
		head, err := DeltaHead(base, delta, n)
		if err != nil || !bytes.Equal(head, target[:min(n, len(target))]) {
			t.Errorf("DeltaHead(%d) = %q, %v", n, head, err)
		}
	}
	if _, err := DeltaHead(base[:10], delta, 5); err == nil {
		t.Error("a delta applied to the wrong base gave a head")
	}
}

func appendLEB(b []byte, n uint64) []byte {
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(b, byte(n))
}
