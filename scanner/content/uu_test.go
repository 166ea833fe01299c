package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUUEncode is qa12 MEDIUM-16: uuencode (begin 644 name … end) and shell
// archives, which uuencode every file that is not plain text and, with
// shar -z, gzip each file first, were never decoded. A uuencoded block is
// read back from its last lines to its begin line now (scanner/uu.go):
// its text scanned (encoding uuencode), an archive or compressed stream in
// it opened as a member (z.shar!uuencode <hash>!credentials); also with
// shar's X in front of every line and with CRLF line ends. A block cut
// inside is counted as a run not decoded whole; Markdown's closing fence
// before a line "end" is no block.
func TestUUEncode(t *testing.T) {
	for _, tool := range []string{"uuencode", "shar", "gzip", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s here (.ci/run installs sharutils): not checked", tool)
		}
	}
	sc := newScanner(t)
	id, _, text := pair(113)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "credentials"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(script string) []byte {
		t.Helper()
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		return out
	}
	uue := run("uuencode src/credentials credentials")
	gzUUE := run("gzip -c src/credentials > c.gz && uuencode c.gz c.gz")
	gz, err := os.ReadFile(filepath.Join(dir, "c.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zshar := run("shar -z src/credentials 2>/dev/null")
	short := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:4]) }
	// Python's uu codec writes a zero as a space, and the last line as
	// one space (qa14 MEDIUM-3).
	pyUUE := run(`python3 -c "import codecs,sys; sys.stdout.buffer.write(codecs.encode(open('src/credentials','rb').read(),'uu'))"`)
	pyGzUUE := run(`python3 -c "import codecs,sys; sys.stdout.buffer.write(codecs.encode(open('c.gz','rb').read(),'uu'))"`)
	trailing := strings.ReplaceAll(string(uue), "\n", " \n")
	behind := func(q string, b []byte) string {
		return q + strings.ReplaceAll(strings.TrimSuffix(string(b), "\n"), "\n", "\n"+q) + "\n"
	}
	quoted := func(b []byte) string { return "On Monday you wrote:\n" + behind("> ", b) + "\nThanks\n" }
	script := "#!/bin/sh\nsed -n 's/^# //p' \"$0\" | uudecode\nexit 0\n"
	xPrefixed := strings.ReplaceAll("X"+strings.TrimSuffix(string(uue), "\n"), "\n", "\nX") + "\n"
	crlf := strings.ReplaceAll(string(uue), "\n", "\r\n")
	for _, tt := range []struct {
		name, data string
		file       string // where the key ID is found ("" for the file itself, with encoding uuencode)
	}{
		{"t.uue", string(uue), ""},
		{"mail.txt", "Subject: keys\n\nHere they are:\n\n" + string(uue) + "\nBye\n", ""},
		{"x.shar", "sed 's/^X//' << 'SHAR_EOF' | uudecode &&\n" + xPrefixed + "SHAR_EOF\n", ""},
		{"crlf.uue", crlf, ""},
		{"c.uue", string(gzUUE), "c.uue!uuencode " + short(gz) + "!"},
		{"z.shar", string(zshar), "z.shar!uuencode "},
		{"py.uu", string(pyUUE), ""},
		{"pygz.uu", string(pyGzUUE), "pygz.uu!uuencode " + short(gz) + "!"},
		{"trail.uu", trailing, ""},
		// Quoted in a mail reply (qa14 HIGH-5).
		{"reply.txt", quoted(uue), ""},
		{"reply-gz.txt", quoted(gzUUE), "reply-gz.txt!uuencode " + short(gz) + "!"},
		{"reply-py.txt", quoted(pyUUE), ""},
		// Carried in a script's comments: sed -n 's/^# //p' "$0" |
		// uudecode (qa14 HIGH-5).
		{"install.sh", script + behind("# ", gzUUE), "install.sh!uuencode " + short(gz) + "!"},
		{"install", script + behind("# ", uue), ""},
		{"payload.py", "#!/usr/bin/env python3\nimport sys\n" + behind("# ", pyUUE), ""},
		{"deploy.bash", "set -e\n" + behind("# ", pyGzUUE), "deploy.bash!uuencode " + short(gz) + "!"},
		// In the other files whose comments start with #, without a #! line
		// (notation24): Python, YAML, Ruby; indented, behind "#" or "## ".
		{"payload2.py", "import sys\n" + behind("# ", pyUUE), ""},
		{"values.yaml", "image: app\n" + behind("# ", gzUUE), "values.yaml!uuencode " + short(gz) + "!"},
		{"indented.py", "def f():\n" + behind("    # ", uue) + "    pass\n", ""},
		{"nohash.py", "import os\n" + behind("#", pyGzUUE), "nohash.py!uuencode " + short(gz) + "!"},
		{"tasks.rb", behind("## ", uue), ""},
		// Behind the other languages' comment markers and indented in a
		// Markdown code block (qa19 L3).
		{"settings.ini", "[app]\nx = 1\n" + behind("; ", uue), ""},
		{"seed.sql", "SELECT 1;\n" + behind("-- ", gzUUE), "seed.sql!uuencode " + short(gz) + "!"},
		{"blob.c", "/*\n" + behind(" * ", uue) + " */\nint x;\n", ""},
		{"blob.js", behind("// ", pyUUE), ""},
		{"load.m", behind("% ", uue), ""},
		{"doc.tex", "\\begin{document}\n" + behind("%% ", pyGzUUE), "doc.tex!uuencode " + short(gz) + "!"},
		{"README.md", "# Keys\n\n" + behind("    ", uue) + "\nDone.\n", ""},
		{"notes.rst", "Keys::\n\n" + behind("\t", uue), ""},
	} {
		r := Scan(context.Background(), sc, tt.name, []byte(tt.data), DefaultOptions())
		var got []string
		for _, f := range r.Findings {
			if f.Secret == id {
				got = append(got, f.File+" "+f.Encoding)
			}
		}
		ok := len(got) == 1
		if ok && tt.file == "" {
			ok = got[0] == tt.name+" uuencode"
		} else if ok {
			ok = strings.HasPrefix(got[0], tt.file)
		}
		if !ok || r.Undecoded != 0 {
			t.Errorf("%s: key ID found in %q (%d undecoded, warnings %v), want once in %q", tt.name, got, r.Undecoded, r.Warnings, tt.file)
		}
	}
	// A line of the block cut short: counted, never silent.
	lines := strings.Split(string(uue), "\n")
	lines[2] = lines[2][:20]
	r := Scan(context.Background(), sc, "cut.uue", []byte(strings.Join(lines, "\n")), DefaultOptions())
	if r.Undecoded != 1 || !hasWarning(r.Warnings, "not decoded whole") {
		t.Errorf("cut.uue: %d undecoded, warnings %v; want the block counted", r.Undecoded, r.Warnings)
	}
	// Behind a quote no reader knows, in a script: its begin line is
	// counted, never silent.
	for _, tt := range []struct {
		name, data string
		undecoded  int
	}{
		{"hash.sh", script + behind("#", uue), 1},
		{"hashes.py", "#!/usr/bin/python\n" + behind("## ", uue), 1},
		{"echo.sh", "echo \"begin 644 notes.txt\"\n", 0},
		{"loop.py", "for x in y:\n    pass\n# end\n    # end of loop\nx = 1  # end\n", 0},
		{"two.sh", script + behind("# ", uue) + behind("#", uue), 1},
		{"end.sql", "BEGIN\n  -- end\nEND;\n-- the end\nend\n", 0},
		{"loop.c", "for (;;) {\n  /* end */\n  x = end;\n}\n * end\n", 0},
	} {
		r := Scan(context.Background(), sc, tt.name, []byte(tt.data), DefaultOptions())
		if r.Undecoded != tt.undecoded {
			t.Errorf("%s: %d undecoded (warnings %v), want %d", tt.name, r.Undecoded, r.Warnings, tt.undecoded)
		}
	}
	// Markdown: a closing fence, then a line that starts with "end".
	md := "```\nbegin 644 x\n```\nend of the example\n"
	if r := Scan(context.Background(), sc, "README.md", []byte(md), DefaultOptions()); r.Undecoded != 0 || len(r.Findings) != 0 {
		t.Errorf("README.md: %d undecoded, findings %v; want none", r.Undecoded, r.Findings)
	}
}
