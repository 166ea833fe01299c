package receive

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

func TestParseUpdates(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	got, err := ParseUpdates(strings.NewReader(a + " " + b + " refs/heads/main\n\n" + zeroID + " " + b + " refs/tags/v1\r\n" + a + " " + zeroID + " refs/heads/old"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Update{{a, b, "refs/heads/main"}, {zeroID, b, "refs/tags/v1"}, {a, zeroID, "refs/heads/old"}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if !got[1].Creates() || !got[2].Deletes() || got[0].Creates() || got[0].Deletes() {
		t.Error("Creates/Deletes")
	}
	// Both IDs zero: the deletion of a ref the repository no longer has,
	// which git sends and which adds nothing (qa10 LOW-7).
	if got, err := ParseUpdates(strings.NewReader(zeroID + " " + zeroID + " refs/heads/gone\n" + a + " " + b + " refs/heads/main\n")); err != nil || !slices.Equal(got, want[:1]) {
		t.Errorf("a ref already gone: %v, %v; want only the update of main", got, err)
	}
	for _, bad := range []string{
		"x", a + " " + b, a + " " + b + " refs/heads/main extra", a + "  " + b + " refs/x",
		strings.ToUpper(a) + " " + b + " refs/x", a + " " + b + " heads/main", zeroID + " " + zeroID + " x",
		a[:39] + " " + b + " refs/x",
	} {
		if _, err := ParseUpdates(strings.NewReader(bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: err = %v, want an error naming line 1", bad, err)
		}
	}
}

func FuzzParseUpdates(f *testing.F) {
	f.Add(strings.Repeat("a", 40) + " " + strings.Repeat("b", 40) + " refs/heads/main\n")
	f.Add("garbage\n\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		us, err := ParseUpdates(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, u := range us {
			if len(u.Old) != 40 || len(u.New) != 40 || !strings.HasPrefix(u.Ref, "refs/") || (u.Creates() && u.Deletes()) {
				t.Fatalf("accepted a bad update %+v", u)
			}
		}
	})
}

func TestAllowedFingerprints(t *testing.T) {
	got := AllowedFingerprints([]string{"ci.skip", "keyscan.allow=abc", "keyscan.allow= d1 ,e2,", "keyscan.allowx=no"})
	if want := []string{"abc", "d1", "e2"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCheckScansEachNewBlobOnce checks that Check reads what the push adds
// and nothing the repository had: each new blob once, attributed to the
// commit that introduced it.
func TestCheckScansEachNewBlobOnce(t *testing.T) {
	g := fakekey.New(401)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	for i := range 20 {
		write(t, dir, filepath.Join("pkg", string(rune('a'+i)), "f.txt"), strings.Repeat("x", i+1))
	}
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "base")
	old := git(t, dir, "rev-parse", "HEAD")
	git(t, dir, "update-ref", "refs/heads/main", old)
	secret := g.Secret()
	write(t, dir, "one.txt", "same content\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "two.txt", "same content\n")                          // the same blob again
	write(t, dir, "conf/app.env", "AWS_SECRET_ACCESS_KEY="+secret+"\n") // a new blob with a key
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "two")
	keyCommit := git(t, dir, "rev-parse", "HEAD")
	write(t, dir, "three.txt", "three\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "three")
	tip := git(t, dir, "rev-parse", "HEAD")
	git(t, dir, "update-ref", "refs/heads/main", old) // the server's state before the push

	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), dir, []Update{{old, tip, "refs/heads/main"}}, sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Commits != 3 || res.Stats.Scanned != 3 {
		t.Errorf("stats %+v: want 3 commits and 3 blobs (one.txt and two.txt share one)", res.Stats)
	}
	if len(res.Refused) != 1 || res.Refused[0].File != "conf/app.env" || res.Refused[0].Commit != keyCommit {
		t.Errorf("refused: %+v", res.Refused)
	}
	// The same tip once it is a ref: nothing is new.
	git(t, dir, "update-ref", "refs/heads/other", tip)
	res, err = Check(context.Background(), dir, []Update{{zeroID, tip, "refs/heads/copy"}}, sc, Options{})
	if err != nil || res.Stats.Scanned != 0 || len(res.Refused) != 0 {
		t.Errorf("a tip the repository already has: %+v, %v", res.Stats, err)
	}
}
