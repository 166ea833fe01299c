package history_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/fixture"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/history"
)

// TestRefNames (qa14 MEDIUM-12): the names of the refs a scan starts from
// are scanned as the gate scans those a push creates: loose and packed
// refs, tags, notes, remote-tracking refs, and the name a symbolic ref
// points at even when no such ref exists. A finding is at the redacted
// name, with no commit; a name holding only a secret is, as everywhere,
// not told from random text. With Refs only the named refs' names are
// read (an object ID names none); with Unpushed, the local refs whose
// names the remote lacks; with a path glob, none.
func TestRefNames(t *testing.T) {
	r := newGitRepo(t)
	g := fakekey.New(912)
	ids := []string{g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA"), g.KeyID("AKIA")}
	secret := g.Secret()
	r.write("README", "hello\n")
	head := r.commit("init")
	branch := "refs/heads/aws_access_key_id=" + ids[0]
	r.git("update-ref", branch, head)
	r.git("tag", ids[1])
	r.git("pack-refs", "--all") // the branch and the tag in packed-refs
	r.git("update-ref", "refs/notes/"+ids[2], head)
	r.git("update-ref", "refs/remotes/origin/"+ids[3], head)
	r.git("symbolic-ref", "refs/heads/sym", "refs/heads/gone/"+ids[4]) // points at no ref
	r.git("update-ref", "refs/heads/only/"+secret, head)
	r.git("branch", "clean")

	res := scanRepo(t, r.dir, history.Options{AllObjects: true})
	byID := map[string]scanner.Finding{}
	for _, f := range res.Findings {
		if !history.IsRefNamePath(f.File) {
			t.Errorf("finding outside a ref name: %s", f.File)
			continue
		}
		for _, id := range ids {
			if strings.Contains(f.File, id) {
				t.Errorf("the path shows the key: %s", f.File)
			}
		}
		if f.Commit != "" || f.PresentAtHead == nil || *f.PresentAtHead || !slices.Equal(f.Paths, []string{f.File}) || f.Line != 1 {
			t.Errorf("%s: commit %q, present at head %v, paths %v, line %d", f.File, f.Commit, f.PresentAtHead, f.Paths, f.Line)
		}
		byID[f.Secret] = f
	}
	wants := map[string]string{
		ids[0]: "ref refs/heads/aws_******************************" + ids[0][16:] + " (name)",
		ids[1]: "ref refs/tags/" + scanner.Redact(ids[1]) + " (name)",
		ids[2]: "ref refs/notes/" + scanner.Redact(ids[2]) + " (name)",
		ids[3]: "ref refs/remotes/origin/" + scanner.Redact(ids[3]) + " (name)",
		ids[4]: "ref refs/heads/gone/" + scanner.Redact(ids[4]) + " (name)",
	}
	for id, want := range wants {
		if f, ok := byID[id]; !ok || f.File != want {
			t.Errorf("the name holding %s: found %v at %q, want %q", id, ok, f.File, want)
		}
	}
	if f := byID[ids[3]]; !strings.Contains(f.Note, "remote-tracking") {
		t.Errorf("remote-tracking ref: note %q", f.Note)
	}
	if len(res.Findings) != len(wants) {
		t.Errorf("%d findings, want %d: %+v", len(res.Findings), len(wants), res.Findings)
	}

	// The same name, the same finding as the gate's (ScanRefName).
	gate, redacted := history.ScanRefName(fixture.Scanner(t), branch)
	if len(gate) != 1 || gate[0].Fingerprint != byID[ids[0]].Fingerprint || history.RefNamePath(redacted) != byID[ids[0]].File {
		t.Errorf("the gate's finding %+v differs from history's %+v", gate, byID[ids[0]])
	}

	secrets := func(res history.Result) []string {
		var out []string
		for _, f := range res.Findings {
			out = append(out, f.Secret)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		what string
		opts history.Options
		want []string
	}{
		{"--ref of a branch by its short name", history.Options{Refs: []string{"aws_access_key_id=" + ids[0]}}, []string{ids[0]}},
		{"--ref of an object ID", history.Options{Refs: []string{head}}, nil},
		{"a path glob", history.Options{PathGlob: "**"}, nil},
		{"--unpushed, the remote has the branch", history.Options{Unpushed: true, RemoteNames: []string{branch}}, []string{ids[1], ids[2]}},
	} {
		if got := secrets(scanRepo(t, r.dir, c.opts)); !slices.Equal(got, sorted(c.want)) {
			t.Errorf("%s: ref name findings %v, want %v", c.what, got, sorted(c.want))
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// BenchmarkRefNames: the cost of reading ref names, one scan a name: a
// mirror of moto has 7,305 refs (pull requests, branches, tags).
func BenchmarkRefNames(b *testing.B) {
	sc := fixture.Scanner(b)
	names := make([]string, 7305)
	for i := range names {
		names[i] = fmt.Sprintf("refs/pull/%d/head", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if fs := history.RefNames(sc, names); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
}

// TestRefNameSecretBesideItsName (qa24 L3): a ref name's components are
// one text: a secret after a secret's name or after a key ID, joined by
// any separator a ref allows ('/', '-', '_', '.'), is a secret, as it is
// after '='; a secret-shaped component with no such neighbour (or after a
// word that names no secret, or a hex object ID after "key") is not. A
// key ID joined to a word by '_' is one, as in a path.
func TestRefNameSecretBesideItsName(t *testing.T) {
	sc := fixture.Scanner(t)
	g := fakekey.New(2403)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct {
		name string
		want []string // the values found
	}{
		{"refs/heads/aws_secret_access_key=" + secret, []string{secret}},
		{"refs/heads/aws_secret_access_key/" + secret, []string{secret}},
		{"refs/tags/AWS_SECRET_ACCESS_KEY-" + secret, []string{secret}},
		{"refs/heads/fix/SecretAccessKey." + secret, []string{secret}},
		{"refs/heads/x/aws_secret_access_key_" + secret, []string{secret}},
		{"refs/heads/aws_secret_access_key/" + secret + "/more", []string{secret}},
		{"refs/heads/" + id + "/" + secret, []string{id, secret}},
		{"refs/heads/" + id + "-" + secret, []string{id, secret}},
		{"refs/heads/only/" + secret, nil},
		{"refs/heads/feature/" + secret, nil},
		{"refs/heads/revert-key-da39a3ee5e6b4b0d3255bfef95601890afd80709", nil},
		{"refs/heads/aws_secret_access_key/" + secret + "x", nil},
		{"refs/heads/" + id, []string{id}},
		// '_' separates a key ID in a ref's name as in a path (qa37 M6):
		// the gate refused x-<key ID> and passed feature_<key ID>.
		{"refs/heads/feature_" + id, []string{id}},
		{"refs/heads/" + id + "_wip", []string{id}},
		{"refs/tags/v1_" + id + "_rc", []string{id}},
		{"refs/heads/" + id + "_" + secret, []string{id, secret}},
		{"refs/heads/feature_" + id + "X", nil}, // 21 characters: no key ID
		{"refs/heads/feature_" + strings.ToLower(id), nil},
		{"refs/heads/dump_AKIAIOSFODNN7" + "EXAMPLE", nil}, // AWS's documented example
	} {
		fs, redacted := history.ScanRefName(sc, c.name)
		var got []string
		for _, f := range fs {
			got = append(got, f.Secret)
			if strings.Contains(redacted, f.Secret) {
				t.Errorf("%s: the redacted name %q shows the value", c.name, redacted)
			}
			if f.Column < 1 || !strings.HasPrefix(c.name[f.Column-1:], f.Secret) {
				t.Errorf("%s: %s at column %d, not the name's", c.name, f.Secret, f.Column)
			}
		}
		if !slices.Equal(sorted(got), sorted(c.want)) {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
		}
	}
}
