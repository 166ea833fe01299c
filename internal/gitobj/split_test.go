package gitobj

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lsStage writes entries as `git ls-files --stage` does.
func lsStage(ents []IndexEntry) string {
	var b strings.Builder
	for _, e := range ents {
		b.WriteString(strconv.FormatUint(uint64(e.Mode), 8) + " " + e.ID.String() + " " + strconv.Itoa(int(e.Stage)) + "\t" + e.Path + "\n")
	}
	return b.String()
}

// TestSplitIndex: a split index (git update-index --split-index) read with
// its shared index has the entries git lists, through changes, deletions,
// additions sorted in between, index version 4, a merge's conflict stages
// and their resolution (qa7 LOW-2: staged refused every commit there).
func TestSplitIndex(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	// Changes stay in the split file, whatever their share.
	git := func(args ...string) string {
		return gitRun(t, dir, append([]string{"-c", "splitIndex.maxPercentChange=100"}, args...)...)
	}
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	index := filepath.Join(dir, ".git", "index")
	check := func(step string) {
		t.Helper()
		data, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("link")) {
			t.Fatalf("%s: the index is not split", step)
		}
		if _, err := ParseIndex(data); err == nil || !strings.Contains(err.Error(), "split index") {
			t.Errorf("%s: ParseIndex of a split index: %v, want an error", step, err)
		}
		idx, err := ReadIndex(index, "")
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if got, want := lsStage(idx.Entries), git("ls-files", "--stage"); got != want {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", step, got, want)
		}
	}

	gitRun(t, dir, "init", "-q")
	for i := range 40 {
		write(fmt.Sprintf("d%d/f%02d.txt", i%4, i), fmt.Sprintf("file %d\n", i))
	}
	git("add", ".")
	git("commit", "-qm", "base")
	git("update-index", "--split-index")
	check("split, nothing changed")

	write("d1/f01.txt", "changed\n")
	write("d2/f10.txt", "changed too\n")
	git("add", ".")
	git("rm", "-q", "--cached", "d3/f03.txt", "d0/f20.txt")
	write("d0/a-new.txt", "new\n")
	write("d2/f10.txt.orig", "new\n")
	write("zz.txt", "last\n")
	write("d1/f01.txt", "changed again\n")
	git("add", "d0/a-new.txt", "d2/f10.txt.orig", "zz.txt", "d1/f01.txt")
	check("replaced, deleted, added")

	git("update-index", "--index-version", "4")
	git("update-index", "--split-index")
	write("d3/f07.txt", "changed in version 4\n")
	write("d3/b-new.txt", "new in version 4\n")
	git("add", "d3")
	check("index version 4")
	git("update-index", "--index-version", "2")
	git("update-index", "--split-index")

	git("commit", "-qm", "second")
	git("clean", "-fdq") // the files taken out of the index
	git("checkout", "-q", "-b", "other", "HEAD~1")
	write("d1/f01.txt", "theirs\n")
	write("d2/f02.txt", "theirs\n")
	git("commit", "-qam", "theirs")
	git("checkout", "-q", "main")
	write("d2/f02.txt", "ours\n")
	git("commit", "-qam", "ours")
	cmd := exec.Command("git", "-C", dir, "-c", "splitIndex.maxPercentChange=100", "-c", "user.name=T", "-c", "user.email=t@example.com", "merge", "-q", "other")
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("merge without a conflict:\n%s", out)
	}
	check("conflict stages")
	write("d2/f02.txt", "resolved\n")
	git("add", "d2/f02.txt")
	check("one conflict resolved")
}

// TestSplitIndexBroken: a shared index that is missing, another index, or
// a link whose bitmaps name entries the shared index does not have, is an
// error naming the split index, never entries read half-way.
func TestSplitIndexBroken(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q")
	for i := range 5 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d", i)), []byte{byte('a' + i)}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "update-index", "--split-index")
	gitRun(t, dir, "-c", "splitIndex.maxPercentChange=100", "rm", "-q", "--cached", "f2")
	index := filepath.Join(dir, ".git", "index")
	shared, _ := filepath.Glob(filepath.Join(dir, ".git", "sharedindex.*"))
	if len(shared) != 1 {
		t.Fatalf("shared indexes %v", shared)
	}
	data, err := os.ReadFile(shared[0])
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(shared[0])
	if _, err := ReadIndex(index, ""); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "split index") {
		t.Errorf("shared index missing: %v", err)
	}
	// Another index under the shared index's name: its checksum differs.
	other := bytes.Clone(data)
	other[len(other)-1] ^= 1
	os.WriteFile(shared[0], other, 0o644)
	if _, err := ReadIndex(index, ""); err == nil || !strings.Contains(err.Error(), "checksum differs") {
		t.Errorf("another shared index: %v", err)
	}
	os.WriteFile(shared[0], data, 0o644)
	if _, err := ReadIndex(index, ""); err != nil {
		t.Fatalf("restored: %v", err)
	}

	// A delete bitmap naming entry 2^20 of a five-entry shared index.
	far := []uint64{1<<33 | (1<<14)<<1, 1}
	if err := (ewah(far)).each(5, func(int) error { return nil }); err == nil {
		t.Errorf("a bit past the entries: no error")
	}
	// A run of ones over 2^32 words stops at the first bit past them.
	n := 0
	if err := (ewah{1 | (1<<32-1)<<1}).each(5, func(int) error { n++; return nil }); err == nil || n != 5 {
		t.Errorf("a long run of ones: %d bits, %v", n, err)
	}
}

// ewahBytes serialises words as git writes an EWAH bitmap.
func ewahBytes(words []uint64) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(64*len(words)))
	b = binary.BigEndian.AppendUint32(b, uint32(len(words)))
	for _, w := range words {
		b = binary.BigEndian.AppendUint64(b, w)
	}
	return binary.BigEndian.AppendUint32(b, 0)
}

func FuzzSplitIndex(f *testing.F) {
	link := append(make([]byte, 20), ewahBytes([]uint64{1 << 33, 0b100})...)
	link = append(link, ewahBytes([]uint64{1 << 33, 0b10})...)
	f.Add(link, uint8(5), uint8(2))
	f.Add(append(make([]byte, 20), ewahBytes([]uint64{1 | 40<<1})...), uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, ext []byte, nShared, nMain uint8) {
		l, err := parseLink(ext)
		if err != nil {
			return
		}
		mk := func(n uint8, prefix string) *Index {
			idx := &Index{}
			for i := range int(n) % 64 {
				p := fmt.Sprintf("%s%02d", prefix, i)
				if prefix == "" && i%3 == 0 {
					p = "" // a replacement
				}
				idx.Entries = append(idx.Entries, IndexEntry{Path: p})
			}
			return idx
		}
		base := mk(nShared, "s")
		var body bytes.Buffer
		body.WriteString("DIRC")
		body.Write(binary.BigEndian.AppendUint32(nil, 2))
		body.Write(binary.BigEndian.AppendUint32(nil, uint32(len(base.Entries))))
		for _, e := range base.Entries {
			ent := make([]byte, 62)
			binary.BigEndian.PutUint16(ent[60:], uint16(len(e.Path)))
			ent = append(ent, e.Path...)
			ent = append(ent, make([]byte, 8-(62+len(e.Path))%8)...)
			body.Write(ent)
		}
		sum := sha1Sum(body.Bytes())
		copy(l.shared[:], sum[:])
		data := append(body.Bytes(), sum[:]...)
		out, err := mergeSplit(mk(nMain, ""), l, data)
		if err != nil {
			return
		}
		for i := 1; i < len(out.Entries); i++ {
			if entryOrder(out.Entries[i-1], out.Entries[i]) >= 0 {
				t.Fatalf("merged entries out of order: %q then %q", out.Entries[i-1].Path, out.Entries[i].Path)
			}
		}
		if len(out.Entries) > len(base.Entries)+len(mk(nMain, "").Entries) {
			t.Fatalf("%d entries from %d and %d", len(out.Entries), len(base.Entries), int(nMain)%64)
		}
	})
}

func sha1Sum(b []byte) [20]byte { return sha1.Sum(b) }
