package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestVerifyFlag runs scan with and without --verify against a local
// endpoint that calls every key active (the verify package's own tests check
// signatures and every verdict; this one checks the wiring).
func TestVerifyFlag(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			t.Errorf("unsigned request")
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDATEST</UserId><Account>123456789012</Account>`+
			`</GetCallerIdentityResult></GetCallerIdentityResponse>`)
	}))
	defer srv.Close()

	dir := t.TempDir()
	v := fakekey.New(21).Values()
	creds := "[default]\naws_access_key_id = " + v["ID"] + "\naws_secret_access_key = " + v["SECRET"] + "\n"
	if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o644); err != nil {
		t.Fatal(err)
	}
	scan := func(args ...string) (int, []map[string]any, string) {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), append([]string{"scan", "--format", "json"}, append(args, dir)...), strings.NewReader(""), &stdout, &stderr)
		var out []map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil && code != exitError {
			t.Fatalf("json: %v\n%s", err, stdout.String())
		}
		return code, out, stderr.String()
	}

	code, out, _ := scan()
	if code != exitFindings || calls.Load() != 0 {
		t.Fatalf("without --verify: exit %d, %d calls; want 1, 0", code, calls.Load())
	}
	for _, f := range out {
		if _, ok := f["verified"]; ok {
			t.Errorf("without --verify: finding has a verdict: %v", f)
		}
	}

	code, out, stderr := scan("--verify", "--sts-endpoint", srv.URL)
	if code != exitFindings || calls.Load() != 1 || len(out) != 2 {
		t.Fatalf("--verify: exit %d, %d calls, %d findings; want 1, 1, 2\n%s", code, calls.Load(), len(out), stderr)
	}
	for _, f := range out {
		if f["verified"] != "active" || f["verified_arn"] != "arn:aws:iam::123456789012:user/test" {
			t.Errorf("%v: verified %v (%v), want active", f["kind"], f["verified"], f["verified_arn"])
		}
	}
	if !strings.Contains(stderr, "secrets are not sent") || strings.Contains(stderr, v["SECRET"]) {
		t.Errorf("stderr: %q", stderr)
	}

	if code, _, _ := scan("--sts-endpoint", srv.URL); code != exitError {
		t.Errorf("--sts-endpoint without --verify: exit %d, want 2", code)
	}
	if code, _, stderr := scan("--verify", "--sts-endpoint", "ftp://x"); code != exitError || !strings.Contains(stderr, "sts-endpoint") {
		t.Errorf("bad endpoint: exit %d, %q", code, stderr)
	}
}
