package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestNestedEncodings is qa8 MEDIUM-5: a Kubernetes Secret whose data is a
// credentials file encoded twice was "no credentials found" (one level was
// decoded). scan finds both keys with encoding base64+base64 at the encoded
// text, in a file and in a zip member, and history, staged and pre-receive,
// which share the matcher, find them too.
func TestNestedEncodings(t *testing.T) {
	g := fakekey.New(7010)
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	secret := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-creds\ndata:\n  credentials: " + enc(enc(fakeCredsFile(g))) + "\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	zip := archivetest.Zip(t, archivetest.F("k8s/secret.yaml", []byte(secret)))
	if err := os.WriteFile(filepath.Join(dir, "manifests.zip"), zip, 0o644); err != nil {
		t.Fatal(err)
	}
	r := keyscanIn(t, dir, "scan", "--format", "json", ".")
	var fs []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Encoding string `json:"encoding"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil || r.code != exitFindings || len(fs) != 4 {
		t.Fatalf("scan: exit %d, %d findings (%v), want 1 and 4\n%s%s", r.code, len(fs), err, r.stdout, r.stderr)
	}
	col := len("  credentials: ") + 1
	for _, f := range fs {
		if f.Encoding != "base64+base64" || f.Line != 6 || f.Column <= col || (f.File != "secret.yaml" && f.File != "manifests.zip!k8s/secret.yaml") {
			t.Errorf("scan: finding %+v, want in secret.yaml or its zip, line 6 after column %d, encoding base64+base64", f, col)
		}
	}

	repo := newCommittedRepo(t)
	writeRepoFile(t, repo, "deploy/secret.yaml", secret)
	gitOK(t, repo, "add", "deploy/secret.yaml")
	if r := keyscanIn(t, repo, "staged"); r.code != exitFindings || !strings.Contains(r.stdout, "deploy/secret.yaml") || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("staged: exit %d, want 1 and both keys\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, repo, "commit", "-q", "--no-verify", "-m", "deploy")
	if r := keyscanIn(t, repo, "history", "."); r.code != exitFindings || !strings.Contains(r.stdout, "2 findings") {
		t.Errorf("history: exit %d, want 1 and both keys\n%s%s", r.code, r.stdout, r.stderr)
	}

	s := newServer(t)
	s.commit("deploy/secret.yaml", secret, "add the secret")
	s.mustRefuse([]string{"deploy/secret.yaml"}, "origin", "main")
}
