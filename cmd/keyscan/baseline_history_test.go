package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestHistoryBaselinePerPath (qa9 MEDIUM-9): history accepted a value when
// any path holding it was in the baseline, so an accepted test key copied
// into a new file passed history --baseline while scan --baseline and the
// pre-receive gate reported it. Each path is now judged on its own: the
// history report carries each path's fingerprint (path_fingerprints), so
// keyscan baseline history records them all; a copy HEAD holds beside the
// accepted file is reported by history, scan and the gate alike, while a
// rename (before the baseline, or since) keeps the value accepted.
func TestHistoryBaselinePerPath(t *testing.T) {
	g := fakekey.New(9201)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	env := "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\nREGION=us-east-1\n"

	dir := newCommittedRepo(t)
	writeRepoFile(t, dir, "fixtures/k.ini", creds)
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "fixture")
	base := filepath.Join(t.TempDir(), "bl.json")
	if r := runCmd(t, dir, nil, "keyscan", "baseline", "history", "--output", base, "."); r.code != 0 || !strings.Contains(r.stderr, "2 findings recorded") {
		t.Fatalf("keyscan baseline history: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", base, "."); r.code != exitClean {
		t.Fatalf("history with the baseline of itself: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The copy into a production file: reported by history and scan alike.
	writeRepoFile(t, dir, "prod.env", env)
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "prod")
	for _, args := range [][]string{{"history"}, {"scan"}} {
		r := runCmd(t, dir, nil, "keyscan", append(args, "--baseline", base, "--format", "json", ".")...)
		var fs []struct {
			File, Note       string
			Paths            []string
			PathFingerprints []string `json:"path_fingerprints"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || r.code != exitFindings || len(fs) != 2 {
			t.Errorf("%s --baseline after a copy into prod.env: exit %d, want 1 and 2 findings (%v)\n%s%s", args[0], r.code, err, r.stdout, r.stderr)
			continue
		}
		if args[0] == "history" {
			for _, f := range fs {
				if !strings.Contains(f.Note, "the baseline accepts this value at fixtures/k.ini, not at prod.env") ||
					len(f.Paths) != 2 || len(f.PathFingerprints) != 2 {
					t.Errorf("history finding %+v: want both paths, their fingerprints and a note naming the copy", f)
				}
			}
		} else if fs[0].File != "prod.env" {
			t.Errorf("scan finding at %s, want prod.env", fs[0].File)
		}
	}
	// A baseline of the history records every path, prod.env too.
	base2 := filepath.Join(t.TempDir(), "bl2.json")
	if r := runCmd(t, dir, nil, "keyscan", "baseline", "history", "--output", base2, "."); r.code != 0 || !strings.Contains(r.stderr, "4 findings recorded") {
		t.Errorf("keyscan baseline history of both paths: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", base2, "."); r.code != exitClean {
		t.Errorf("history with the baseline of both paths: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A rename since the baseline keeps the value accepted, told on stderr.
	gitOK(t, dir, "reset", "-q", "--hard", "HEAD~1")
	gitOK(t, dir, "mv", "fixtures/k.ini", "fixtures/renamed.ini")
	gitOK(t, dir, "commit", "-q", "-m", "rename")
	r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", base, ".")
	if r.code != exitClean || !strings.Contains(r.stderr, "matched at a new path") || !strings.Contains(r.stderr, "-> fixtures/renamed.ini") ||
		strings.Contains(r.stderr, "remove it") {
		t.Errorf("history --baseline after a rename: exit %d, want 0 and the entry told as moved\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A baseline made at HEAD by scan (the old file name is in history
	// only) accepts the value at its earlier paths.
	atHead := filepath.Join(t.TempDir(), "head.json")
	if r := runCmd(t, dir, nil, "keyscan", "baseline", "scan", "--output", atHead, "."); r.code != 0 {
		t.Fatalf("keyscan baseline scan: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", atHead, "."); r.code != exitClean || strings.Contains(r.stderr, "remove it") {
		t.Errorf("history with a baseline made at HEAD after a rename: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A copy HEAD holds: a new finding again.
	writeRepoFile(t, dir, "deploy/app.ini", creds)
	gitOK(t, dir, "add", ".")
	gitOK(t, dir, "commit", "-q", "-m", "copy")
	if r := runCmd(t, dir, nil, "keyscan", "history", "--baseline", atHead, "."); r.code != exitFindings || !strings.Contains(r.stdout, "not at deploy/app.ini") {
		t.Errorf("history with a baseline made at HEAD, then a copy: exit %d, want 1 naming the copy\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveBaselinePerPath (qa9 MEDIUM-9): the gate judges each path
// a push adds a value at; a push that changes the accepted file and copies
// its key into another in one go is refused for the copy.
func TestPreReceiveBaselinePerPath(t *testing.T) {
	g := fakekey.New(9202)
	id, secret := g.KeyID("AKIA"), g.Secret()
	creds := "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
	env := "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\n"
	s := newServer(t)
	s.commit("fixtures/k.ini", creds, "fixture")
	report := runCmd(t, s.clone, nil, "keyscan", "baseline", "scan", "fixtures/k.ini")
	if report.code != 0 {
		t.Fatalf("keyscan baseline: exit %d\n%s", report.code, report.stderr)
	}
	writeRepoFile(t, s.bare, "baseline.json", report.stdout)
	writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nbaseline = \"baseline.json\"\n")
	s.mustPush("origin", "main")

	writeRepoFile(t, s.clone, "fixtures/k.ini", "# the fixture of the tests\n"+creds)
	s.commit("prod.env", env, "fixture edited, and copied")
	r := s.push("origin", "main")
	if r.code == 0 || !strings.Contains(r.stderr, "prod.env") {
		t.Errorf("push of a copy beside the accepted file: exit %d, want refused for prod.env\n%s", r.code, r.stderr)
	}
	if err := os.Remove(filepath.Join(s.clone, "prod.env")); err != nil {
		t.Fatal(err)
	}
	gitOK(t, s.clone, "commit", "-q", "-a", "--amend", "-m", "fixture edited")
	s.mustPush("origin", "main")
}
