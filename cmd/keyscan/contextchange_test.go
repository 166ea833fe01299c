package main

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestContextChangeHookAndGateAgree: a commit that makes an existing value
// an AWS secret by changing only its context (the MinIO endpoint_url line
// above it deleted, rclone's provider = Minio removed, a [gcs] section
// renamed, a GOOG key ID line deleted) is refused by the installed commit
// hook, as the pre-receive gate refuses its push (qa10 MEDIUM-3); a commit
// that leaves the context alone passes both.
func TestContextChangeHookAndGateAgree(t *testing.T) {
	g := fakekey.New(431)
	s := newServer(t)
	if r := runCmd(t, s.clone, nil, "keyscan", "hook", "install"); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	goog := "GOOG1E" + strings.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)[:55]
	type variant struct{ file, before, after string }
	vs := []variant{
		{"app.ini", "[storage]\nendpoint_url = http://minio.internal:9000\nregion = us-east-1\naws_secret_access_key = %s\n",
			"[storage]\nregion = us-east-1\naws_secret_access_key = %s\n"},
		{"rclone.conf", "[remote]\ntype = s3\nprovider = Minio\naccess_key_id = x\nsecret_access_key = %s\n",
			"[remote]\ntype = s3\naccess_key_id = x\nsecret_access_key = %s\n"},
		{"store.ini", "[gcs]\nsecret_key = %s\n", "[s3]\nsecret_key = %s\n"},
		{"creds.ini", "[default]\naws_access_key_id = " + goog + "\naws_secret_access_key = %s\n",
			"[default]\naws_secret_access_key = %s\n"},
	}
	for i := range vs {
		secret := g.Secret()
		vs[i].before = strings.Replace(vs[i].before, "%s", secret, 1)
		vs[i].after = strings.Replace(vs[i].after, "%s", secret, 1)
		writeRepoFile(t, s.clone, vs[i].file, vs[i].before)
	}
	gitOK(t, s.clone, "add", ".")
	gitOK(t, s.clone, "commit", "-q", "-m", "other systems' secrets") // through the hook
	s.mustPush("origin", "main")

	// An unrelated edit of each file: the hook and the gate pass it.
	for _, v := range vs {
		writeRepoFile(t, s.clone, v.file, v.before+"# note\n")
	}
	gitOK(t, s.clone, "commit", "-q", "-am", "notes")
	s.mustPush("origin", "main")

	for _, v := range vs {
		head := s.head()
		writeRepoFile(t, s.clone, v.file, v.after+"# note\n")
		r := gitRun(t, s.clone, nil, "commit", "-q", "-am", "now AWS: "+v.file)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, v.file) {
			t.Errorf("%s: the commit hook passed a context change that makes the secret AWS's: exit %d\n%s%s", v.file, r.code, r.stdout, r.stderr)
		}
		if now := s.head(); now != head {
			t.Fatalf("%s: committed through the hook", v.file)
		}
		gitOK(t, s.clone, "commit", "-q", "--no-verify", "-am", "now AWS, hook skipped: "+v.file)
		s.mustRefuse([]string{v.file}, "origin", "main")
		gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")
	}
}
