package content

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestMaxFindings: a file, or an archive member, with more findings than
// MaxFindings keeps the first ones, and says how many values it left out
// in Unlisted and in a warning that names it; other files are untouched.
func TestMaxFindings(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(41)
	var dense strings.Builder
	for range 50 {
		dense.WriteString(g.KeyID("AKIA") + "\n")
	}
	few := []byte("aws_access_key_id = " + g.KeyID("AKIA") + "\n")
	opts := DefaultOptions()
	opts.MaxFindings = 20

	r := Scan(context.Background(), sc, "ids.txt", []byte(dense.String()), opts)
	if len(r.Findings) != 20 || r.Unlisted != 30 || len(r.Warnings) != 1 || r.Warnings[0].Path != "ids.txt" ||
		!strings.Contains(r.Warnings[0].Message, "max_findings_per_file") {
		t.Errorf("dense file: %d findings, %d unlisted, warnings %v; want 20, 30 and one naming ids.txt", len(r.Findings), r.Unlisted, r.Warnings)
	}
	jar := archivetest.Zip(t, archivetest.F("conf/ids.txt", []byte(dense.String())), archivetest.F("conf/app.ini", few))
	r = Scan(context.Background(), sc, "app.jar", jar, opts)
	if len(r.Findings) != 21 || r.Unlisted != 30 || len(r.Warnings) != 1 || r.Warnings[0].Path != "app.jar!conf/ids.txt" {
		t.Errorf("archive: %d findings, %d unlisted, warnings %v; want 21, 30 and one naming the member", len(r.Findings), r.Unlisted, r.Warnings)
	}
	opts.MaxFindings = 0
	if r := Scan(context.Background(), sc, "ids.txt", []byte(dense.String()), opts); len(r.Findings) != 50 || r.Unlisted != 0 || len(r.Warnings) != 0 {
		t.Errorf("no limit: %d findings, %d unlisted, %d warnings; want 50, 0, 0", len(r.Findings), r.Unlisted, len(r.Warnings))
	}
}

// TestUndecoded: a file, or an archive member, whose decode budget text
// bombs spent says how many encoded runs it left undecoded, in Undecoded and
// in a warning that names it (qa10 HIGH-3).
func TestUndecoded(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(42)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(strings.Repeat("a", 1<<20)))
	w.Close()
	bomb := base64.StdEncoding.EncodeToString(gz.Bytes())
	creds := "aws_access_key_id = " + g.KeyID("AKIA") + "\naws_secret_access_key = " + g.Secret() + "\n"
	data := []byte("d0: " + bomb + "\nd1: " + bomb + "\nreal: " + base64.StdEncoding.EncodeToString([]byte(creds)) + "\n")
	opts := DefaultOptions()
	r := Scan(context.Background(), sc, "values.yaml", data, opts)
	if r.Undecoded != 2 || len(r.Warnings) != 1 || r.Warnings[0].Path != "values.yaml" || !strings.Contains(r.Warnings[0].Message, "not decoded whole") {
		t.Errorf("file: %d undecoded, warnings %v; want 2 and one naming values.yaml", r.Undecoded, r.Warnings)
	}
	jar := archivetest.Zip(t, archivetest.F("conf/values.yaml", data))
	r = Scan(context.Background(), sc, "app.jar", jar, opts)
	if r.Undecoded != 2 || len(r.Warnings) != 1 || r.Warnings[0].Path != "app.jar!conf/values.yaml" || !hasWarning(r.Warnings, "2 encoded runs") {
		t.Errorf("archive: %d undecoded, warnings %v; want 2 and one naming the member", r.Undecoded, r.Warnings)
	}
}
