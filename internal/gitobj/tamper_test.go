package gitobj

import (
	"bytes"
	"compress/zlib"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/gittest"
)

// bounded runs fn and fails the test when it does not return: the reads
// below used to wait forever on a FIFO (qa7 HIGH-2). It is a guard against
// a hang, not a measure of speed.
func bounded(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s did not return", what)
	}
}

// looseRepo is a repository whose objects are all loose, with the ID of
// HEAD's commit and of one blob.
func looseRepo(t *testing.T) (objects string, head, blob ID) {
	t.Helper()
	dir := historyRepo(t)
	head, _ = ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD")))
	blob, _ = ParseID(strings.TrimSpace(gitRun(t, dir, "rev-parse", "HEAD:d0/f0.txt")))
	return filepath.Join(dir, ".git", "objects"), head, blob
}

func writeLoose(t *testing.T, objects string, id ID, typ Type, data []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write([]byte(typ.String() + " " + itoa(len(data)) + "\x00"))
	zw.Write(data)
	zw.Close()
	p := loosePath(objects, id)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := os.WriteFile(p, b.Bytes(), 0o444); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestStoreFilesNotRegular: every file of the object store is opened
// without blocking and only when it is a regular file: a FIFO or a device
// in place of a loose object, an alternates file, a pack's index or a
// fan-out folder is an error or a Problem, never a wait or a read of
// /dev/zero without end (qa7 HIGH-2).
func TestStoreFilesNotRegular(t *testing.T) {
	t.Run("loose object", func(t *testing.T) {
		objects, _, blob := looseRepo(t)
		gittest.ReplaceWithFIFO(t, loosePath(objects, blob))
		s, err := Open(objects, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		bounded(t, "reading a FIFO object", func() {
			_, _, err = s.NewReader(0).Read(blob)
		})
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("reading a FIFO object: %v, want an error naming the FIFO", err)
		}
	})
	for _, alt := range []string{"fifo", "/dev/zero", "folder", "file"} {
		t.Run("alternates "+alt, func(t *testing.T) {
			objects, head, _ := looseRepo(t)
			p := filepath.Join(objects, "info", "alternates")
			os.MkdirAll(filepath.Dir(p), 0o755)
			switch alt {
			case "fifo":
				gittest.ReplaceWithFIFO(t, p)
			case "folder":
				os.Remove(p)
				os.Mkdir(p, 0o755)
			case "file": // a line that names a file, not a folder
				f := filepath.Join(t.TempDir(), "objects")
				os.WriteFile(f, []byte("x"), 0o644)
				os.WriteFile(p, []byte(f+"\n"), 0o644)
			default:
				os.Remove(p)
				if err := os.Symlink(alt, p); err != nil {
					t.Fatal(err)
				}
			}
			var s *Store
			var err error
			bounded(t, "opening the store", func() { s, err = Open(objects, Options{}) })
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if ps := s.Problems(); len(ps) != 1 || !strings.Contains(ps[0].Error(), "alternate") {
				t.Errorf("problems %v, want the alternates named", ps)
			}
			if _, _, err := s.NewReader(0).Read(head); err != nil {
				t.Errorf("the repository's own objects: %v", err)
			}
		})
	}
	t.Run("pack index and fan-out folder", func(t *testing.T) {
		dir := historyRepo(t)
		gitRun(t, dir, "repack", "-adq")
		objects := filepath.Join(dir, ".git", "objects")
		idx, _ := filepath.Glob(filepath.Join(objects, "pack", "*.idx"))
		if len(idx) != 1 {
			t.Fatalf("packs %v", idx)
		}
		gittest.ReplaceWithFIFO(t, idx[0])
		gittest.ReplaceWithFIFO(t, filepath.Join(objects, "ab"))
		s, err := Open(objects, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var ps []error
		bounded(t, "opening a FIFO index", func() { ps = s.Problems() })
		if len(ps) != 1 || !strings.Contains(ps[0].Error(), "named pipe") {
			t.Errorf("problems %v, want the FIFO index", ps)
		}
		bounded(t, "listing loose objects", func() { err = s.LooseIDs(func(ID) {}) })
		if err == nil || !strings.Contains(err.Error(), "not a folder") {
			t.Errorf("listing loose objects past a FIFO folder: %v", err)
		}
	})
	t.Run("index file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "index")
		gittest.ReplaceWithFIFO(t, p)
		var err error
		bounded(t, "reading a FIFO index file", func() { _, err = ReadIndex(p, "") })
		if err == nil {
			t.Error("a FIFO index file read without an error")
		}
	})
}

// TestAlternatesLoopAndDepth: a chain of alternates that comes back to a
// folder on it, or goes deeper than git's five, is not followed and says
// so; a folder named twice is searched once, silently.
func TestAlternatesLoopAndDepth(t *testing.T) {
	base := t.TempDir()
	dirs := make([]string, 8)
	for i := range dirs {
		dirs[i] = filepath.Join(base, "o"+itoa(i))
		os.MkdirAll(filepath.Join(dirs[i], "info"), 0o755)
	}
	link := func(from int, to ...int) {
		var b strings.Builder
		for _, i := range to {
			b.WriteString(dirs[i] + "\n")
		}
		os.WriteFile(filepath.Join(dirs[from], "info", "alternates"), []byte(b.String()), 0o644)
	}
	link(0, 1, 1)
	link(1, 0)
	s, err := Open(dirs[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ps := s.Problems(); len(s.Dirs()) != 2 || len(ps) != 1 || !strings.Contains(ps[0].Error(), "loops back") {
		t.Errorf("loop: folders %v, problems %v", s.Dirs(), ps)
	}
	for i := range 7 {
		link(i, i+1)
	}
	s, err = Open(dirs[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ps := s.Problems(); len(s.Dirs()) != 6 || len(ps) != 1 || !strings.Contains(ps[0].Error(), "deep") {
		t.Errorf("depth: folders %v, problems %v", s.Dirs(), ps)
	}
}

// TestLooseObjectMustHashToItsName: a loose object is its file's name only;
// content that hashes to another ID is an error, so a tree cannot claim to
// be its own subtree (qa7 HIGH-3).
func TestLooseObjectMustHashToItsName(t *testing.T) {
	objects, _, blob := looseRepo(t)
	forged, _ := ParseID("2222222222222222222222222222222222222222")
	tree := AppendTreeEntry(nil, 0o100644, "f", blob)
	tree = AppendTreeEntry(tree, ModeDir, "x", forged)
	writeLoose(t, objects, forged, Tree, tree)
	s, err := Open(objects, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, err = s.NewReader(0).Read(forged)
	if !errors.Is(err, ErrHashMismatch) || !strings.Contains(err.Error(), HashObject(Tree, tree).String()) {
		t.Errorf("a forged tree: %v, want ErrHashMismatch naming its real ID", err)
	}
	// The same bytes under their own name read.
	real := HashObject(Tree, tree)
	writeLoose(t, objects, real, Tree, tree)
	if _, data, err := s.NewReader(0).Read(real); err != nil || !bytes.Equal(data, tree) {
		t.Errorf("the tree under its own name: %v", err)
	}
}

// TestLooseHeaderClaimsMore: a loose object whose header claims far more
// than its stream holds is an error (the buffer grows with what arrives,
// not with the claim), and inflating stops at the declared size.
func TestLooseHeaderClaimsMore(t *testing.T) {
	noise := make([]byte, 64<<10)
	rand.NewChaCha8([32]byte{'N'}).Read(noise) // seeded: a failure replays
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write([]byte("blob 60000000\x00"))
	zw.Write(noise)
	zw.Close()
	if _, _, err := ReadLoose(bytes.NewReader(b.Bytes()), int64(b.Len()), 0); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a header claiming 60 MB over 64 KiB: %v", err)
	}
	// A stream that inflates past its declared size is read up to it.
	b.Reset()
	zw = zlib.NewWriter(&b)
	zw.Write([]byte("blob 5\x00"))
	zw.Write(make([]byte, 10<<20))
	zw.Close()
	if _, data, err := ReadLoose(bytes.NewReader(b.Bytes()), int64(b.Len()), 0); err != nil || len(data) != 5 {
		t.Errorf("a bomb declaring 5 bytes: %d bytes, %v", len(data), err)
	}
}
