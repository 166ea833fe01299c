package content

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// otherArchives makes a .aws/credentials holding text into the archives
// and compressed streams other than gzip and zip that people write in
// base64, with the real tools: tar with xz, bzip2 and zstd, a plain tar,
// 7z, tar with compress, and xz, bzip2 (levels 9 and 1), zstd, lzma, lzip,
// compress and Python's zlib of the file alone. A tool that is missing skips its case with a message
// (.ci/run installs them).
func otherArchives(t *testing.T, text []byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Long enough that zstd compresses it (a short file it stores raw,
	// which the scan of the decoded run finds anyway).
	long := append(append([]byte("# team credentials, rotated by ops\n"), text...), []byte(strings.Repeat("# keep this file out of the repository\n", 20))...)
	if err := os.WriteFile(filepath.Join(dir, "src", ".aws", "credentials"), long, 0o600); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, c := range []struct {
		name, tool string
		args       []string
	}{
		{"a.txz", "xz", []string{"tar", "-C", "src", "-cJf", "a.txz", ".aws"}},
		{"a.tbz", "bzip2", []string{"tar", "-C", "src", "-cjf", "a.tbz", ".aws"}},
		{"a.tzst", "zstd", []string{"tar", "-C", "src", "--zstd", "-cf", "a.tzst", ".aws"}},
		{"a.tar", "tar", []string{"tar", "-C", "src", "-cf", "a.tar", ".aws"}},
		{"a-posix.tar", "tar", []string{"tar", "-C", "src", "--format=posix", "-cf", "a-posix.tar", ".aws"}},
		{"a.7z", "7z", []string{"sh", "-c", "cd src && 7z a -bd -bso0 ../a.7z .aws"}},
		{"c.xz", "xz", []string{"sh", "-c", "xz -c src/.aws/credentials > c.xz"}},
		{"c.bz2", "bzip2", []string{"sh", "-c", "bzip2 -c src/.aws/credentials > c.bz2"}},
		{"c1.bz2", "bzip2", []string{"sh", "-c", "bzip2 -1 -c src/.aws/credentials > c1.bz2"}},
		{"c.zst", "zstd", []string{"sh", "-c", "zstd -q -c src/.aws/credentials > c.zst"}},
		{"c.lzma", "lzma", []string{"sh", "-c", "lzma -c src/.aws/credentials > c.lzma"}},
		{"c9.lzma", "lzma", []string{"sh", "-c", "lzma -9 -c src/.aws/credentials > c9.lzma"}},
		{"c.zlib", "python3", []string{"python3", "-c", "import sys,zlib\nsys.stdout.buffer.write(zlib.compress(open('src/.aws/credentials','rb').read()))\nsys.stdout.flush()", "c.zlib"}},
		// qa15 HIGH-2: lzip, compress's .Z
		{"c.lz", "lzip", []string{"sh", "-c", "lzip -c src/.aws/credentials > c.lz"}},
		{"c.Z", "compress", []string{"sh", "-c", "compress -c src/.aws/credentials > c.Z"}},
		{"a.tar.Z", "compress", []string{"sh", "-c", "tar -C src -cf - .aws | compress -c > a.tar.Z"}},
	} {
		if _, err := exec.LookPath(c.tool); err != nil {
			t.Logf("%s: no %s here (.ci/run installs it): not checked", c.name, c.tool)
			continue
		}
		cmd := exec.Command(c.args[0], c.args[1:]...)
		cmd.Dir = dir
		if c.tool == "python3" {
			f, err := os.Create(filepath.Join(dir, c.name))
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdout = f
			err = cmd.Run()
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		} else if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, b)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		out[c.name] = b
	}
	return out
}

// TestEncodedOtherArchives is qa12 HIGH-2's rest: an xz, bzip2, zstd, 7z,
// LZMA, zlib or tar archive (or stream) in base64 was never decoded, for
// want of an anchor; nor was a PDF. Each has one now at the head of its
// run (scanner/prefilter.go), and the decoded run is opened as a member
// of the file, in an install script, a Kubernetes Secret, base64(1)'s
// wrapped lines and a data: URI; xz, zstd and bzip2 also in hex (a
// PostgreSQL bytea dump, lower case).
func TestEncodedOtherArchives(t *testing.T) {
	sc := newScanner(t)
	id, _, text := pair(112)
	b64 := base64.StdEncoding.EncodeToString
	wrap := func(s string) string {
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString("  " + s[:76] + "\n")
			s = s[76:]
		}
		return out.String() + "  " + s + "\n"
	}
	arcs := otherArchives(t, text)
	// A PDF whose page draws the two lines (its content stream deflated,
	// so the file is no text).
	page := "BT /F1 12 Tf 72 712 Td (" + strings.ReplaceAll(strings.TrimSpace(string(text)), "\n", ") Tj T* (") + ") Tj ET"
	arcs["doc.pdf"] = archivetest.PDF([]archivetest.PDFObject{
		{Dict: "/Type /Catalog /Pages 2 0 R"},
		{Dict: "/Type /Pages /Kids [3 0 R] /Count 1"},
		{Dict: "/Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>"},
		{Dict: "/Filter /FlateDecode", Stream: archivetest.Zlib(t, 6, []byte(page))},
		{Dict: "/Type /Font /Subtype /Type1 /BaseFont /Helvetica"},
	}, "")
	for name, a := range arcs {
		sum := sha256.Sum256(a)
		short := hex.EncodeToString(sum[:4])
		files := []struct{ name, data, enc string }{
			{"install.sh", "#!/bin/sh\necho \"" + b64(a) + "\" | base64 -d > /tmp/x\n", "base64"},
			{"k8s.yml", "apiVersion: v1\nkind: Secret\ndata:\n  payload: " + b64(a) + "\n", "base64"},
			{"wrapped.yml", "content: |\n" + wrap(b64(a)), "base64"},
			{"page.html", "<embed src=\"data:application/octet-stream;base64," + b64(a) + "\">\n", "base64"},
		}
		switch name {
		case "c.xz", "a.txz", "c.zst", "a.tzst", "c.bz2", "c1.bz2", "a.tbz":
			files = append(files, struct{ name, data, enc string }{"pg.sql", "COPY uploads (id, name, data) FROM stdin;\n2\tx\t\\\\x" + hex.EncodeToString(a) + "\n\\.\n", "hex"})
		case "c.lz", "c.Z", "a.tar.Z":
			files = append(files, struct{ name, data, enc string }{"pg.sql", "COPY uploads (id, name, data) FROM stdin;\n2\tx\t\\\\x" + hex.EncodeToString(a) + "\n\\.\n", "hex"},
				struct{ name, data, enc string }{"fromhex.py", "B = bytes.fromhex(\"" + strings.ToUpper(hex.EncodeToString(a)) + "\")\n", "hex"})
		}
		for _, f := range files {
			r := Scan(context.Background(), sc, f.name, []byte(f.data), DefaultOptions())
			var got []string
			for _, fi := range r.Findings {
				if fi.Secret == id {
					got = append(got, fi.File)
				}
			}
			prefix := f.name + "!" + f.enc + " " + short + "!"
			if len(got) != 1 || !strings.HasPrefix(got[0], prefix) {
				t.Errorf("%s in %s: key ID found in %q, want once in a member %s… (warnings %v)", name, f.name, got, prefix, r.Warnings)
			}
		}
	}
}
