package lfs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pointerOf(content string) (string, Pointer) {
	sum := sha256.Sum256([]byte(content))
	p := Pointer{OID: hex.EncodeToString(sum[:]), Size: int64(len(content))}
	return fmt.Sprintf("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", p.OID, p.Size), p
}

func TestParseAndRead(t *testing.T) {
	text, want := pointerOf("hello\n")
	got, ok := Parse([]byte(text))
	if !ok || got != want {
		t.Fatalf("Parse = %+v, %v; want %+v", got, ok, want)
	}
	for _, bad := range []string{
		"version https://git-lfs.github.com/spec/v1\noid sha256:../../../../etc/passwd\nsize 1\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + strings.ToUpper(want.OID) + "\nsize 6\n",
		"version https://git-lfs.github.com/spec/v1\noid md5:0123\nsize 6\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize -1\n",
		"not a pointer",
		// Only a pointer's lines make a pointer (qa9 HIGH-6): anything
		// more is a blob like any other, scanned as itself.
		"version https://git-lfs.github.com/spec/v1\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize 6\nx-note more text\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize 6\n\n[default]\nregion = x\n",
		"version https://git-lfs.github.com/spec/v1\nsize 6\noid sha256:" + want.OID + "\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\noid sha256:" + want.OID + "\nsize 6\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize 6 bytes\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize +6\n",
		"version https://git-lfs.github.com/spec/v2\noid sha256:" + want.OID + "\nsize 6\n",
		"version https://git-lfs.github.com/spec/v1\next-0-x note\noid sha256:" + want.OID + "\nsize 6\n",
		"version https://git-lfs.github.com/spec/v1\noid sha256:" + want.OID + "\nsize 6\next-0-x sha256:" + want.OID + "\n",
		"oid sha256:" + want.OID + "\nversion https://git-lfs.github.com/spec/v1\nsize 6\n",
	} {
		if p, ok := Parse([]byte(bad)); ok {
			t.Errorf("Parse(%q) = %+v, want refused", bad, p)
		}
	}

	// What git-lfs reads as a pointer: extensions before the oid, a
	// carriage return, blank lines.
	for _, good := range []string{
		"version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + want.OID + "\next-1-bar sha256:" + want.OID + "\noid sha256:" + want.OID + "\nsize 6\n",
		strings.ReplaceAll(text, "\n", "\r\n"),
		text + "\n",
		strings.TrimSuffix(text, "\n"),
	} {
		if got, ok := Parse([]byte(good)); !ok || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", good, got, ok, want)
		}
	}

	store := Objects{Dir: filepath.Join(t.TempDir(), "lfs", "objects")}
	if _, err := Read(store, want); !errors.Is(err, ErrAbsent) {
		t.Errorf("Read of an absent object: %v, want ErrAbsent", err)
	}
	path := filepath.Join(store.Dir, want.OID[0:2], want.OID[2:4], want.OID)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	for content, wantErr := range map[string]string{"hello\n": "", "HELLO\n": "SHA-256 differs", "hello, longer\n": "holds more bytes than the pointer says", "hi\n": "holds 3 bytes"} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		data, err := Read(store, want)
		switch {
		case wantErr == "" && (err != nil || string(data) != content):
			t.Errorf("Read = %q, %v", data, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("Read of %q: %v, want %q", content, err, wantErr)
		}
	}
	// A link in the store is not followed.
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.WriteFile(target, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(store, want); err == nil {
		t.Error("Read followed a symbolic link in the store")
	}
}

// TestReadBeneathRoot: a store with a Root is read from it following no
// link on the way: a repository found inside a scan root whose lfs/objects
// (or a folder of it) links elsewhere gives nothing from there.
func TestReadBeneathRoot(t *testing.T) {
	text, want := pointerOf("hello\n")
	if _, ok := Parse([]byte(text)); !ok {
		t.Fatal("pointerOf made no pointer")
	}
	elsewhere := t.TempDir()
	obj := filepath.Join(elsewhere, "lfs", "objects", want.OID[0:2], want.OID[2:4], want.OID)
	if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(obj, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	gitDir := filepath.Join(root, "app", ".git")
	if err := os.MkdirAll(gitDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(elsewhere, "lfs"), filepath.Join(gitDir, "lfs")); err != nil {
		t.Fatal(err)
	}
	store := Store(gitDir)
	if data, err := Read(store, want); err != nil || string(data) != "hello\n" {
		t.Fatalf("without a root, Read = %q, %v: the test's link does not lead to the object", data, err)
	}
	store.Root = root
	if data, err := Read(store, want); err == nil {
		t.Errorf("Read beneath %s followed a link out of it: %q", root, data)
	}
	if _, _, _, err := ReadWithin(store, want, 1, 4, func(int64, []byte) bool { return true }); err == nil {
		t.Errorf("ReadWithin's head beneath %s followed a link out of it", root)
	}
	// The same object really there is read.
	os.Remove(filepath.Join(gitDir, "lfs"))
	real := filepath.Join(gitDir, "lfs", "objects", want.OID[0:2], want.OID[2:4], want.OID)
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(store, want); err != nil || string(data) != "hello\n" {
		t.Errorf("Read beneath the root of an object there = %q, %v", data, err)
	}
	// One longer than its pointer says is said so, as without a root.
	if err := os.WriteFile(real, []byte("hello, longer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(store, want); err == nil || err.Error() != "lfs/objects holds more bytes than the pointer says" {
		t.Errorf("Read beneath the root of a longer object: %v", err)
	}
	// A store outside its root is refused, not read.
	if _, err := Read(Objects{Dir: filepath.Join(elsewhere, "lfs", "objects"), Root: root}, want); err == nil {
		t.Error("Read of a store outside its root read it")
	}
}

// FuzzParse: Parse never panics, and what it accepts names a path inside
// the store.
func FuzzParse(f *testing.F) {
	text, _ := pointerOf("x")
	f.Add([]byte(text))
	f.Add([]byte("version https://git-lfs.github.com/spec/v1\noid sha256:\nsize 9999999999999999999999\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, ok := Parse(data)
		if !ok {
			return
		}
		store := Objects{Dir: "/store"}
		if got := store.path(p); !strings.HasPrefix(got, store.Dir+"/") || strings.Contains(got, "..") || p.Size < 0 {
			t.Fatalf("Parse(%q) = %+v: path %s", data, p, got)
		}
	})
}
