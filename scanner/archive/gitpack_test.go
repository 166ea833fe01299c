package archive

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitIn runs git in dir (hermetic: see TestMain) and returns its output.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com",
		"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// TestGitPackAndBundle: a bundle (`git bundle create --all`) and a pack
// copied out of a repository after git gc are opened: every version of a
// file is a member named by its path (two versions of one file, the second
// a delta of the first), and each commit's and tag's message is a member.
func TestGitPackAndBundle(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	body := strings.Repeat("a line of configuration that stays the same\n", 50)
	for _, v := range []string{"secret = first-version\n", "secret = second-version\n"} {
		if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "conf", "app.ini"), []byte(body+v), 0o644); err != nil {
			t.Fatal(err)
		}
		gitIn(t, dir, "add", ".")
		gitIn(t, dir, "commit", "-q", "--no-verify", "-m", "set "+v)
	}
	gitIn(t, dir, "tag", "-a", "-m", "release message", "v1")
	out := t.TempDir()
	gitIn(t, dir, "bundle", "create", "-q", filepath.Join(out, "backup.bundle"), "--all")
	gitIn(t, dir, "gc", "-q", "--aggressive")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs after gc: %v", packs)
	}
	for _, src := range []string{filepath.Join(out, "backup.bundle"), packs[0]} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		name := "backup.bundle"
		if strings.HasSuffix(src, ".pack") {
			name = "objects.pack"
			if !strings.Contains(gitIn(t, dir, "verify-pack", "-v", strings.TrimSuffix(src, ".pack")+".idx"), "chain length = 1") {
				t.Fatal("git wrote no delta: the test does not cover them")
			}
		}
		t.Run(name, func(t *testing.T) {
			members := map[string][]string{}
			warns, st := Walk(context.Background(), name, data, DefaultLimits(), func(m Member) {
				if !m.Raw {
					members[m.Name] = append(members[m.Name], string(m.Data))
				}
			})
			if len(warns) != 0 || st.Unscanned != 0 {
				t.Errorf("warnings %v", warns)
			}
			versions := members[name+"!conf/app.ini"]
			if len(versions) != 2 || !strings.Contains(strings.Join(versions, ""), "first-version") || !strings.Contains(strings.Join(versions, ""), "second-version") {
				t.Errorf("conf/app.ini: %d versions; members %v", len(versions), memberNames(members))
			}
			var msgs string
			for n, d := range members {
				if strings.HasSuffix(n, " message") {
					msgs += strings.Join(d, "")
				}
			}
			if !strings.Contains(msgs, "release message") || !strings.Contains(msgs, "set secret = first-version") {
				t.Errorf("messages not read: %q", msgs)
			}
			// Under a member limit below conf/app.ini's size, its versions
			// are files over max_file_size (Stats.TooLarge: the hooks fail
			// on them), whether a delta or whole in the pack.
			lim := DefaultLimits()
			lim.MaxMemberSize = 1000
			if _, st := Walk(context.Background(), name, data, lim, func(Member) {}); st.TooLarge < 2 || st.Unscanned < st.TooLarge {
				t.Errorf("member limit 1000: %d too large, %d unscanned; want both versions too large", st.TooLarge, st.Unscanned)
			}
		})
	}
}

// TestGitPackShrunkMember (CLOSING15): a file that shrank under the member
// limit is packed as a delta of its larger version; that small version is
// read (its base is built, not scanned) and only the larger one is too
// large. It was counted as too large, or not read, for its base.
func TestGitPackShrunkMember(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	big := strings.Repeat("a line of configuration that stays the same\n", 60) // 2,700 bytes
	for _, v := range []string{big, big[:450] + "secret = small-version\n"} {
		if err := os.WriteFile(filepath.Join(dir, "app.ini"), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		gitIn(t, dir, "add", ".")
		gitIn(t, dir, "commit", "-q", "--no-verify", "-m", "set")
	}
	gitIn(t, dir, "gc", "-q", "--aggressive")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs after gc: %v", packs)
	}
	if !strings.Contains(gitIn(t, dir, "verify-pack", "-v", strings.TrimSuffix(packs[0], ".pack")+".idx"), "chain length = 1") {
		t.Fatal("git wrote no delta: the test does not cover them")
	}
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits()
	lim.MaxMemberSize = 1000
	var versions []string
	warns, st := Walk(context.Background(), "objects.pack", data, lim, func(m Member) {
		if m.Name == "objects.pack!app.ini" {
			versions = append(versions, string(m.Data))
		}
	})
	if len(versions) != 1 || !strings.Contains(versions[0], "small-version") {
		t.Errorf("app.ini read %d times (%.40q); want its small version once; warnings %v", len(versions), versions, warns)
	}
	if st.TooLarge != 1 || st.Unscanned != 1 || len(warns) != 1 {
		t.Errorf("%d too large, %d unscanned, warnings %v; want the large version alone, too large", st.TooLarge, st.Unscanned, warns)
	}
}

func memberNames(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestGitPackDamage: a pack whose entries cannot all be read, a bundle
// without its pack, and a squashfs image of a compressor keyscan does not
// read are warnings counted as not scanned (--strict and the gate fail on them).
func TestGitPackDamage(t *testing.T) {
	pack := []byte("PACK\x00\x00\x00\x02\x00\x00\x00\x02\x30\x78\x9c\x03\x00\x00\x00\x00\x01garbage-not-an-entry")
	_, st := Walk(context.Background(), "x.pack", pack, DefaultLimits(), func(Member) {})
	if st.Unscanned == 0 {
		t.Error("a corrupt pack: nothing counted as not scanned")
	}
	bundle := []byte("# v2 git bundle\n0123456789012345678901234567890123456789 refs/heads/main\nno blank line")
	if _, st := Walk(context.Background(), "b.bundle", bundle, DefaultLimits(), func(Member) {}); st.Unscanned == 0 {
		t.Error("a bundle without a pack: nothing counted as not scanned")
	}
	sq := make([]byte, 96)
	copy(sq, "hsqs")
	sq[12], sq[13], sq[14] = 0, 0, 2 // block size 128 KiB
	sq[22] = 17                      // block_log
	sq[28] = 4                       // version 4.0
	if f := Detect(sq); f != Squashfs {
		t.Fatalf("squashfs superblock detected as %v", f)
	}
	warns, st := Walk(context.Background(), "app.snap", sq, DefaultLimits(), func(Member) {})
	if st.Unscanned != 1 || len(warns) != 1 || !strings.Contains(warns[0].Message, "not opened") {
		t.Errorf("squashfs: %v, %+v", warns, st)
	}
	if Detect([]byte("hsqs is a word in this text file, long enough to be read")) != None {
		t.Error("a text file starting hsqs taken for squashfs")
	}
}

// TestGitPackCountBomb is qa14 HIGH-17: a pack header's object count
// (2^32-1 over 4 MiB of zeros, which hold no entry) pre-sized the reader's
// maps and entries by the pack's length: about 32 bytes of memory a byte.
// They grow with the entries read, and each is charged to the budget.
func TestGitPackCountBomb(t *testing.T) {
	data := append([]byte("PACK\x00\x00\x00\x02\xff\xff\xff\xff"), make([]byte, 4<<20)...)
	var warns []string
	var st Stats
	mem := allocated(func() { _, warns, st = walk(t, "big.pack", data, DefaultLimits()) })
	if st.Unscanned == 0 {
		t.Errorf("a pack whose first entry is corrupt: nothing counted (%q)", warns)
	}
	if mem > 4<<20 {
		t.Errorf("a %d-byte pack took %d bytes", len(data), mem)
	}
}
