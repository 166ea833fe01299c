package history_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/keyscan/keyscan/internal/fixture"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/content"
	"github.com/keyscan/keyscan/scanner/history"
)

func scanRepo(t *testing.T, dir string, opts history.Options) history.Result {
	t.Helper()
	res, err := history.Scan(context.Background(), dir, fixture.Scanner(t), opts)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return res
}

// keyLine returns a fresh fake key ID and a config line holding it.
func keyLine(seed uint64) (id, line string) {
	id = fakekey.New(seed).KeyID("AKIA")
	return id, "aws_access_key_id = " + id + "\n"
}

// want is what a test expects of the finding for one value.
type want struct {
	File       string
	Line       int
	Commit     string
	LastCommit string
	Commits    int
	Paths      []string
	AtHead     bool
}

func findingFor(t *testing.T, res history.Result, value string) scanner.Finding {
	t.Helper()
	var got []scanner.Finding
	for _, f := range res.Findings {
		if f.Secret == value {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one finding for %s, got %d; all findings: %+v", value, len(got), res.Findings)
	}
	return got[0]
}

func check(t *testing.T, res history.Result, value string, w want) {
	t.Helper()
	f := findingFor(t, res, value)
	got := want{File: f.File, Line: f.Line, Commit: f.Commit, LastCommit: f.LastCommit, Commits: f.Commits, Paths: f.Paths}
	if f.PresentAtHead == nil {
		t.Errorf("PresentAtHead is nil")
	} else {
		got.AtHead = *f.PresentAtHead
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("finding for %s (-want +got):\n%s", value, diff)
	}
	if f.Author != "Test Author <author@example.com>" && f.Commit != "" {
		t.Errorf("Author = %q", f.Author)
	}
	if f.Commit != "" && f.Date.IsZero() {
		t.Errorf("Date not set")
	}
}

// scenario builds a repository and checks the scan of it. Each runs twice:
// on loose objects and after a repack into one pack with deep deltas.
type scenario struct {
	name string
	run  func(t *testing.T, r *gitRepo) (opts history.Options, verify func(t *testing.T, res history.Result))
}

func TestScenarios(t *testing.T) {
	scenarios := []scenario{
		{"added then deleted", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(1)
			r.write("app/config.ini", "[default]\nregion = eu-west-1\n")
			r.commit("first")
			r.write("app/config.ini", "[default]\nregion = eu-west-1\n"+line)
			c2 := r.commit("add key")
			r.write("app/config.ini", "[default]\nregion = eu-west-1\n")
			c3 := r.commit("remove key")
			_ = c3
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "app/config.ini", Line: 3, Commit: c2, LastCommit: c2, Commits: 1, Paths: []string{"app/config.ini"}})
			}
		}},
		{"only in a deleted file", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(2)
			r.write("README", "hello\n")
			r.write("secrets/prod.env", line)
			c1 := r.commit("first")
			r.git("rm", "-q", "secrets/prod.env")
			r.commit("delete")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "secrets/prod.env", Line: 1, Commit: c1, LastCommit: c1, Commits: 1, Paths: []string{"secrets/prod.env"}})
			}
		}},
		{"renamed file", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(3)
			r.write("old/name.cfg", line)
			c1 := r.commit("first")
			r.git("mv", "old", "new")
			r.git("mv", "new/name.cfg", "new/renamed.cfg")
			c2 := r.commit("rename")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "old/name.cfg", Line: 1, Commit: c1, LastCommit: c2, Commits: 2,
					Paths: []string{"new/renamed.cfg", "old/name.cfg"}, AtHead: true})
			}
		}},
		{"merged branch and a merge commit", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(4)
			id2, line2 := keyLine(5)
			r.write("a.txt", "a\n")
			r.commit("base")
			r.git("checkout", "-q", "-b", "feature")
			r.write("feature/deploy.sh", "export AWS_ACCESS_KEY_ID="+strings.TrimPrefix(line, "aws_access_key_id = "))
			cf := r.commit("feature adds key")
			r.git("checkout", "-q", "main")
			r.write("b.txt", "b\n")
			r.commit("main moves on")
			// An "evil" merge: the key appears only in the merge commit.
			r.git("merge", "-q", "--no-ff", "--no-commit", "feature")
			r.write("merge-only.conf", line2)
			r.git("add", "-A")
			r.git("commit", "-q", "-m", "merge feature")
			cm := r.git("rev-parse", "HEAD")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "feature/deploy.sh", Line: 1, Commit: cf, LastCommit: cm, Commits: 2, Paths: []string{"feature/deploy.sh"}, AtHead: true})
				check(t, res, id2, want{File: "merge-only.conf", Line: 1, Commit: cm, LastCommit: cm, Commits: 1, Paths: []string{"merge-only.conf"}, AtHead: true})
			}
		}},
		{"unmerged branch", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(6)
			r.write("a.txt", "a\n")
			r.commit("base")
			r.git("checkout", "-q", "-b", "wip")
			r.write("wip.txt", line)
			cw := r.commit("wip")
			r.git("checkout", "-q", "main")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "wip.txt", Line: 1, Commit: cw, LastCommit: cw, Commits: 1, Paths: []string{"wip.txt"}})
			}
		}},
		{"only under a tag", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(7)
			id2, line2 := keyLine(8)
			r.write("a.txt", "a\n")
			r.commit("base")
			r.git("checkout", "-q", "--detach")
			r.write("release.cfg", line)
			ct := r.commit("release")
			r.git("tag", "-a", "-m", "release 1", "v1")
			r.write("release.cfg", line2)
			ct2 := r.commit("release 2")
			r.git("tag", "v2") // lightweight
			r.git("checkout", "-q", "main")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "release.cfg", Line: 1, Commit: ct, LastCommit: ct, Commits: 1, Paths: []string{"release.cfg"}})
				check(t, res, id2, want{File: "release.cfg", Line: 1, Commit: ct2, LastCommit: ct2, Commits: 1, Paths: []string{"release.cfg"}})
			}
		}},
		{"stash and older stash", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(9)
			id2, line2 := keyLine(10)
			id3, line3 := keyLine(11)
			r.write("app.env", "A=1\n")
			r.commit("base")
			r.write("app.env", "A=1\n"+line)
			r.git("stash", "-q") // becomes stash@{1}: only the reflog reaches it
			r.write("app.env", "A=2\n"+line2)
			r.write("untracked.env", line3)
			r.git("stash", "-q", "-u")
			return history.Options{}, func(t *testing.T, res history.Result) {
				for _, v := range []string{id, id2, id3} {
					f := findingFor(t, res, v)
					if f.Commit == "" || *f.PresentAtHead {
						t.Errorf("stashed %s: commit %q, at head %v", v, f.Commit, *f.PresentAtHead)
					}
				}
			}
		}},
		{"same key in many commits", func(t *testing.T, r *gitRepo) (history.Options, func(*testing.T, history.Result)) {
			id, line := keyLine(12)
			r.write("cfg/settings.ini", line+"n = 0\n")
			c1 := r.commit("c1")
			var last string
			for i := 1; i <= 6; i++ {
				r.write("cfg/settings.ini", line+"n = "+strings.Repeat("x", i)+"\n")
				r.write("other.txt", strings.Repeat("y", i))
				last = r.commit("edit")
			}
			r.write("copy/settings.ini", line)
			last = r.commit("copy")
			return history.Options{}, func(t *testing.T, res history.Result) {
				check(t, res, id, want{File: "cfg/settings.ini", Line: 1, Commit: c1, LastCommit: last, Commits: 8,
					Paths: []string{"cfg/settings.ini", "copy/settings.ini"}, AtHead: true})
				if len(res.Findings) != 1 {
					t.Errorf("want 1 finding, got %d", len(res.Findings))
				}
			}
		}},
	}
	for _, sc := range scenarios {
		for _, packed := range []bool{false, true} {
			name := sc.name + "/loose"
			if packed {
				name = sc.name + "/packed"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newGitRepo(t)
				opts, verify := sc.run(t, r)
				if packed {
					r.repack()
				}
				res := scanRepo(t, r.dir, opts)
				for _, w := range res.Warnings {
					t.Errorf("unexpected warning: %s", w)
				}
				verify(t, res)
			})
		}
	}
}

func TestDanglingObjects(t *testing.T) {
	for _, packed := range []bool{false, true} {
		t.Run(map[bool]string{false: "loose", true: "packed"}[packed], func(t *testing.T) {
			r := newGitRepo(t)
			id, line := keyLine(20)
			id2, line2 := keyLine(21)
			r.write("a.txt", "a\n")
			r.commit("base")
			r.git("checkout", "-q", "-b", "doomed")
			r.write("leak.txt", line)
			dc := r.commit("leak")
			r.git("checkout", "-q", "main")
			r.git("branch", "-q", "-D", "doomed")
			// A deleted annotated tag: its object stays until gc prunes it.
			id3, line3 := keyLine(22)
			r.git("tag", "-a", "doomed-tag", "-m", "release notes\n"+line3)
			to := r.git("rev-parse", "doomed-tag")
			r.git("tag", "-d", "doomed-tag")
			r.write("blob.txt", line2)
			bh := r.git("hash-object", "-w", "blob.txt")
			if err := os.Remove(filepath.Join(r.dir, "blob.txt")); err != nil {
				t.Fatal(err)
			}
			if packed {
				r.git("reflog", "expire", "--expire=now", "--all")
				r.git("repack", "-a", "-d", "-k", "-q") // -k keeps the unreachable objects, in the pack
				r.git("prune-packed")
			}
			res := scanRepo(t, r.dir, history.Options{})
			if len(res.Findings) != 0 {
				t.Errorf("without AllObjects: want no findings, got %+v", res.Findings)
			}
			res = scanRepo(t, r.dir, history.Options{AllObjects: true})
			f := findingFor(t, res, id)
			if f.Commit != dc || !strings.Contains(f.Note, "dangling commit") {
				t.Errorf("dangling commit: Commit %q Note %q, want %s", f.Commit, f.Note, dc)
			}
			f = findingFor(t, res, id2)
			if f.Commit != "" || f.File != bh || !strings.Contains(f.Note, "dangling blob") {
				t.Errorf("dangling blob: File %q Commit %q Note %q", f.File, f.Commit, f.Note)
			}
			f = findingFor(t, res, id3)
			if f.Commit != "" || !strings.Contains(f.Note, "annotated tag object "+to) {
				t.Errorf("dangling tag: File %q Commit %q Note %q", f.File, f.Commit, f.Note)
			}
		})
	}
}

func TestNarrowing(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(30)
	id2, line2 := keyLine(31)
	id3, line3 := keyLine(32)
	r.write("deploy/prod.yaml", "key: "+line1)
	r.commit("one")
	r.git("tag", "base")
	r.write("src/main.txt", line2)
	r.commit("two")
	r.git("checkout", "-q", "-b", "side", "base")
	r.write("side.txt", line3)
	r.commit("side")
	r.git("checkout", "-q", "main")

	values := func(res history.Result) []string {
		var out []string
		for _, f := range res.Findings {
			out = append(out, f.Secret)
		}
		return out
	}
	tests := []struct {
		name string
		opts history.Options
		want []string
	}{
		{"all", history.Options{}, []string{id1, id2, id3}},
		{"ref", history.Options{Refs: []string{"main"}}, []string{id1, id2}},
		{"since", history.Options{Since: "base"}, []string{id2, id3}},
		{"path", history.Options{PathGlob: "deploy/**"}, []string{id1}},
		{"exclude", history.Options{Exclude: func(p string) bool { return strings.HasPrefix(p, "src/") }}, []string{id1, id3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := values(scanRepo(t, r.dir, tt.opts))
			less := func(a, b string) bool { return a < b }
			if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(less)); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
	// HEAD is outside the commits scanned with --ref side: present_at_head
	// still answers for HEAD.
	res := scanRepo(t, r.dir, history.Options{Refs: []string{"side"}})
	if f := findingFor(t, res, id1); !*f.PresentAtHead {
		t.Errorf("key on main scanned through side: PresentAtHead false, want true")
	}
	if f := findingFor(t, res, id3); *f.PresentAtHead {
		t.Errorf("key only on side: PresentAtHead true, want false")
	}
	if _, err := history.Scan(context.Background(), r.dir, fixture.Scanner(t), history.Options{Refs: []string{"no-such-ref"}}); err == nil {
		t.Errorf("unknown ref: want an error")
	}
}

func TestBadInput(t *testing.T) {
	t.Run("not a repository", func(t *testing.T) {
		_, err := history.Scan(context.Background(), t.TempDir(), fixture.Scanner(t), history.Options{})
		if !errors.Is(err, history.ErrNotRepository) {
			t.Fatalf("want ErrNotRepository, got %v", err)
		}
	})
	t.Run("empty repository", func(t *testing.T) {
		r := newGitRepo(t)
		res := scanRepo(t, r.dir, history.Options{AllObjects: true})
		if len(res.Findings) != 0 || res.Stats.Commits != 0 || res.Stats.Blobs != 0 {
			t.Errorf("empty repo: %+v", res)
		}
	})
	t.Run("shallow clone", func(t *testing.T) {
		r := newGitRepo(t)
		id, line := keyLine(40)
		id2, line2 := keyLine(41)
		r.write("old.txt", line)
		r.commit("old")
		r.git("rm", "-q", "old.txt")
		r.commit("gone")
		r.write("new.txt", line2)
		r.commit("new")
		clone := filepath.Join(t.TempDir(), "shallow")
		r.run("", "clone", "-q", "--depth=1", "file://"+r.dir, clone)
		res := scanRepo(t, clone, history.Options{})
		if !res.Shallow || !hasWarning(res, "shallow clone") {
			t.Errorf("shallow clone: Shallow %v, warnings %v", res.Shallow, res.Warnings)
		}
		findingFor(t, res, id2)
		for _, f := range res.Findings {
			if f.Secret == id {
				t.Errorf("key only before the shallow boundary was found: the clone should not have it")
			}
		}
	})
	t.Run("corrupt and missing objects", func(t *testing.T) {
		r := newGitRepo(t)
		id, line := keyLine(42)
		_, line2 := keyLine(43)
		r.write("good.txt", line)
		r.write("bad.txt", line2)
		r.write("gone.txt", "nothing here\n")
		r.commit("one")
		bad := r.git("rev-parse", "HEAD:bad.txt")
		gone := r.git("rev-parse", "HEAD:gone.txt")
		obj := func(h string) string { return filepath.Join(r.dir, ".git", "objects", h[:2], h[2:]) }
		if err := os.Chmod(obj(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(obj(bad), []byte("this is not zlib"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(obj(gone)); err != nil {
			t.Fatal(err)
		}
		res := scanRepo(t, r.dir, history.Options{})
		findingFor(t, res, id)
		for _, h := range []string{bad, gone} {
			if !hasWarningFor(res, h) {
				t.Errorf("no warning names object %s: %v", h, res.Warnings)
			}
		}
		if res.Stats.Failed != 2 {
			t.Errorf("Stats.Failed = %d, want 2", res.Stats.Failed)
		}
	})
	t.Run("corrupt pack", func(t *testing.T) {
		r := newGitRepo(t)
		id, line := keyLine(44)
		r.write("good.txt", line)
		for i := range 20 {
			r.write("filler.txt", strings.Repeat("filler line\n", 200*(i+1)))
			r.commit("filler")
		}
		r.repack()
		packs, _ := filepath.Glob(filepath.Join(r.dir, ".git", "objects", "pack", "*.pack"))
		if len(packs) != 1 {
			t.Fatalf("want one pack, got %v", packs)
		}
		b, err := os.ReadFile(packs[0])
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 3; i < len(b)/3+64; i++ {
			b[i] ^= 0x5a // damage entries in the middle of the pack
		}
		if err := os.Chmod(packs[0], 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(packs[0], b, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := history.Scan(context.Background(), r.dir, fixture.Scanner(t), history.Options{})
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		if len(res.Warnings) == 0 {
			t.Errorf("corrupt pack: no warning")
		}
		_ = id // the key may or may not sit in the damaged part; the scan must go on either way
	})
	t.Run("submodule, LFS, binary, too large", func(t *testing.T) {
		r := newGitRepo(t)
		id, line := keyLine(45)
		idBin, lineBin := keyLine(46)
		r.write("a.txt", "a\n")
		sub := r.commit("base")
		r.write("assets/model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 345\n")
		// Over the limit by its pointer's size, content absent: too large,
		// as the hooks that hold the content judge it (qa15 MEDIUM-3).
		r.write("assets/weights.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:5d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
		r.write("image.dat", "\x00\x01\x02"+lineBin)
		r.write("big.txt", line+strings.Repeat("padding\n", 200))
		r.git("add", "assets", "image.dat", "big.txt")
		r.git("update-index", "--add", "--cacheinfo", "160000,"+sub+",vendor/lib")
		r.git("commit", "-q", "-m", "odd files")
		res := scanRepo(t, r.dir, history.Options{MaxBlobSize: 1000, Content: content.Options{SkipBinary: true}})
		if !hasWarningAt(res, "vendor/lib", "submodule") {
			t.Errorf("no submodule warning: %v", res.Warnings)
		}
		if !hasWarningAt(res, "assets/model.bin", "LFS") {
			t.Errorf("no LFS warning: %v", res.Warnings)
		}
		if !hasWarningAt(res, "big.txt", "max_file_size") {
			t.Errorf("no size warning: %v", res.Warnings)
		}
		if !hasWarningAt(res, "assets/weights.bin", "Git LFS file of 12345 bytes, larger than max_file_size") {
			t.Errorf("no size warning for the LFS file: %v", res.Warnings)
		}
		if res.Stats.Binary != 1 || res.Stats.LFS != 1 || res.Stats.TooLarge != 2 {
			t.Errorf("stats: %+v", res.Stats)
		}
		for _, f := range res.Findings {
			if f.Secret == id || f.Secret == idBin {
				t.Errorf("skipped blob was scanned: %s", f.File)
			}
		}
		r.repack() // the same through the pack reader
		res = scanRepo(t, r.dir, history.Options{MaxBlobSize: 1000, Content: content.Options{SkipBinary: true}})
		if res.Stats.Binary != 1 || res.Stats.LFS != 1 || res.Stats.TooLarge != 2 {
			t.Errorf("packed stats: %+v", res.Stats)
		}
	})
}

func TestBareAndSubdirectory(t *testing.T) {
	r := newGitRepo(t)
	id, line := keyLine(50)
	r.write("dir/sub/x.txt", line)
	r.commit("one")
	bare := filepath.Join(t.TempDir(), "bare.git")
	r.run("", "clone", "-q", "--bare", r.dir, bare)
	for _, dir := range []string{bare, filepath.Join(r.dir, "dir", "sub")} {
		res := scanRepo(t, dir, history.Options{})
		if f := findingFor(t, res, id); f.File != "dir/sub/x.txt" {
			t.Errorf("%s: File %q", dir, f.File)
		}
	}
}

func TestLiterals(t *testing.T) {
	r := newGitRepo(t)
	vals := fakekey.New(60).Values()
	r.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  credentials: "+vals["CREDS_B64"]+"\n")
	r.write("plain.env", "AWS_ACCESS_KEY_ID="+vals["ID2"]+"\n")
	// A pair split over concatenations across lines (qa7 MEDIUM-2): one
	// such value made the whole file an error.
	id3, secret3 := fakekey.New(61).KeyID("AKIA"), fakekey.New(62).Secret()
	r.write("split.js", "const accessKeyId = \""+id3[:10]+"\" +\n  \""+id3[10:]+"\";\nconst secretAccessKey = \""+secret3[:20]+"\" +\n  \""+secret3[20:]+"\";\n")
	r.commit("one")
	res := scanRepo(t, r.dir, history.Options{})
	lits, _ := res.Literals(res.Findings)
	for _, want := range []string{vals["ID"], vals["SECRET"], vals["ID2"]} {
		if !contains(lits, want) {
			t.Errorf("literals lack %.8s…; got %q", want, lits)
		}
	}
	// The property that matters: with every literal replaced, nothing is
	// left to find, encoded forms included.
	for _, name := range []string{"k8s/secret.yaml", "plain.env", "split.js"} {
		data, err := os.ReadFile(filepath.Join(r.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, l := range lits {
			text = strings.ReplaceAll(text, l, history.ReplaceMarker)
		}
		if fs := fixture.Scanner(t).Scan(name, []byte(text)); len(fs) > 0 {
			t.Errorf("%s still holds %d findings after the replacements", name, len(fs))
		}
	}
	var b strings.Builder
	if err := history.WriteReplaceText(&b, lits); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if !strings.HasSuffix(l, "==>***REMOVED***") {
			t.Errorf("bad expression line %q", l)
		}
	}
}

func hasWarning(res history.Result, sub string) bool {
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), sub) {
			return true
		}
	}
	return false
}

func hasWarningFor(res history.Result, object string) bool {
	for _, w := range res.Warnings {
		if w.Object == object {
			return true
		}
	}
	return false
}

func hasWarningAt(res history.Result, path, sub string) bool {
	for _, w := range res.Warnings {
		if w.Path == path && strings.Contains(w.Message, sub) {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestSinceUpstream: --since takes git's whole revision syntax, as the
// pre-push hook passes @{upstream}.
func TestSinceUpstream(t *testing.T) {
	origin := newGitRepo(t)
	id1, line1 := keyLine(71)
	origin.write("old.env", line1)
	origin.commit("old")
	clone := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "clone")}
	clone.run("", "clone", "-q", origin.dir, clone.dir)
	id2, line2 := keyLine(72)
	clone.write("new.env", line2)
	clone.commit("new")
	res := scanRepo(t, clone.dir, history.Options{Refs: []string{"HEAD"}, Since: "@{upstream}"})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Secret)
	}
	if len(got) != 1 || got[0] != id2 {
		t.Errorf("--since @{upstream}: found %v, want only %s (not %s)", got, id2, id1)
	}
}

// TestArchives commits a Lambda zip with a .env and a tar.gz backup holding
// a zip, then deletes both: history finds each key under the member's name,
// in the commit that added the archive, no longer at HEAD. A binary blob's
// key is found at its byte offset.
func TestArchives(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(61)
	id2, line2 := keyLine(62)
	id3, _ := keyLine(63)
	r.write("README", "hello\n")
	r.commit("base")
	r.write("deploy/function.zip", string(archivetest.Zip(t, archivetest.F("handler.py", []byte("x = 1\n")), archivetest.F(".env", []byte(line1)))))
	inner := archivetest.Zip(t, archivetest.F("conf/app.ini", []byte("[default]\n"+line2)))
	r.write("backup.tar.gz", string(archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("srv/inner.zip", inner)))))
	r.write("tool.bin", "\x00\x01\x02\x03"+id3+"\x00")
	c2 := r.commit("add archives")
	r.git("rm", "-q", "deploy/function.zip", "backup.tar.gz", "tool.bin")
	r.commit("delete archives")
	for _, repack := range []bool{false, true} {
		if repack {
			r.repack()
		}
		res := scanRepo(t, r.dir, history.Options{Content: content.DefaultOptions()})
		check(t, res, id1, want{File: "deploy/function.zip!.env", Line: 1, Commit: c2, LastCommit: c2, Commits: 1, Paths: []string{"deploy/function.zip!.env"}})
		check(t, res, id2, want{File: "backup.tar.gz!srv/inner.zip!conf/app.ini", Line: 2, Commit: c2, LastCommit: c2, Commits: 1, Paths: []string{"backup.tar.gz!srv/inner.zip!conf/app.ini"}})
		check(t, res, id3, want{File: "tool.bin", Line: 0, Commit: c2, LastCommit: c2, Commits: 1, Paths: []string{"tool.bin"}})
		if f := findingFor(t, res, id3); f.Offset != 4 {
			t.Errorf("binary finding at byte %d, want 4", f.Offset)
		}
		if res.Stats.Archives != 3 || res.Stats.Binary != 1 {
			t.Errorf("stats %+v: want 3 archives and 1 binary blob", res.Stats)
		}
	}
	opts := content.DefaultOptions()
	opts.Archives.MaxMembers = 1
	res := scanRepo(t, r.dir, history.Options{Content: opts})
	if !hasWarningAt(res, "deploy/function.zip", "more than 1 members") {
		t.Errorf("no member limit warning: %v", res.Warnings)
	}
}

// TestArchiveMemberPaths is newuser LOW-9: a value in an archive member
// lists, in Paths, the member at each path of the archive, named as the
// finding is (bundle.zip!app/.env), not the archive alone, which the report
// showed as "also in bundle.zip" of the place it named. A copy of the
// archive elsewhere lists its member too; the same value in a plain file
// lists that file; two members of one archive holding it are both listed.
func TestArchiveMemberPaths(t *testing.T) {
	r := newGitRepo(t)
	id1, line1 := keyLine(64)
	id2, line2 := keyLine(65)
	bundle := string(archivetest.Zip(t, archivetest.F("app/.env", []byte(line1)), archivetest.F("readme.txt", []byte("hello\n"))))
	r.write("bundle.zip", bundle)
	r.write("two.zip", string(archivetest.Zip(t, archivetest.F("a/.env", []byte(line2)), archivetest.F("b/.env", []byte(line2)))))
	c1 := r.commit("bundle")
	r.write("copy/bundle.zip", bundle)
	r.write("plain.env", line1)
	c2 := r.commit("copies")
	res := scanRepo(t, r.dir, history.Options{Content: content.DefaultOptions()})
	check(t, res, id1, want{File: "bundle.zip!app/.env", Line: 1, Commit: c1, LastCommit: c2, Commits: 2, AtHead: true,
		Paths: []string{"bundle.zip!app/.env", "copy/bundle.zip!app/.env", "plain.env"}})
	check(t, res, id2, want{File: "two.zip!a/.env", Line: 1, Commit: c1, LastCommit: c2, Commits: 2, AtHead: true,
		Paths: []string{"two.zip!a/.env", "two.zip!b/.env"}})
}

// TestUnpushed: Options.Unpushed scans every local branch, tag and notes
// ref against what the remote has (Not): a key on a branch the remote
// lacks is found, one the remote already holds is not, a key in a local
// tag's message or in a notes ref is found (git push --follow-tags, git
// push origin main refs/notes/commits), a remote-tracking branch is not
// trusted, and an empty Not leaves nothing out.
func TestUnpushed(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(63)
	r.write("old.env", "AWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\n")
	pushed := r.commit("pushed")
	// A stale tracking branch: the remote no longer has what it names.
	r.git("checkout", "-q", "-b", "scrubbed")
	scrubbedID := g.KeyID("AKIA")
	r.write("scrubbed.env", "AWS_ACCESS_KEY_ID="+scrubbedID+"\n")
	r.git("update-ref", "refs/remotes/origin/scrubbed", r.commit("scrubbed from the remote since"))
	r.git("checkout", "-q", "-b", "feature")
	newID := g.KeyID("AKIA")
	r.write("new.env", "AWS_ACCESS_KEY_ID="+newID+"\n")
	r.commit("not pushed")
	r.git("checkout", "-q", pushed) // detached, on what the remote has
	r.git("branch", "-q", "-D", "scrubbed")
	tagID, noteID := g.KeyID("AKIA"), g.KeyID("AKIA")
	r.git("tag", "-a", "v1", "-m", "AWS_ACCESS_KEY_ID="+tagID, pushed)
	r.git("notes", "add", "-m", "AWS_ACCESS_KEY_ID="+noteID, pushed)
	r.git("tag", "old", pushed) // a tag of a pushed commit: nothing new
	want := []string{newID, noteID, scrubbedID, tagID}
	res := scanRepo(t, r.dir, history.Options{Unpushed: true, Not: []string{pushed}})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Secret)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("unpushed, the remote having %s: findings %v, want the feature branch's, the note's, the scrubbed branch's and the tag message's keys %v", pushed[:8], got, want)
	}
	if res := scanRepo(t, r.dir, history.Options{Unpushed: true}); len(res.Findings) != 5 {
		t.Errorf("unpushed to a remote that has nothing: %d findings, want all five keys", len(res.Findings))
	}
}

// A loose object that cannot be read is counted as unreadable with
// AllObjects too, so that --strict fails on it as on a reachable one
// (qa12 LOW-5).
func TestAllObjectsUnreadableLoose(t *testing.T) {
	r := newGitRepo(t)
	r.write("a.txt", "a\n")
	r.commit("one")
	h := r.runInput("dangling content\n", "hash-object", "-w", "--stdin")
	p := filepath.Join(r.dir, ".git", "objects", h[:2], h[2:])
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("not zlib at all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := scanRepo(t, r.dir, history.Options{})
	if res.Stats.Unreadable != 0 {
		t.Errorf("without AllObjects: Unreadable %d, want 0", res.Stats.Unreadable)
	}
	res = scanRepo(t, r.dir, history.Options{AllObjects: true})
	if res.Stats.Unreadable != 1 {
		t.Errorf("AllObjects: Unreadable %d, want 1 (the loose object that cannot be read)", res.Stats.Unreadable)
	}
}
