package scanner_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// manPage formats a manual page's source with the real groff, as nroff
// writes it for a terminal: bold and underlined text overstruck (-P-c,
// grotty's old scheme, which man keeps with MAN_KEEP_FORMATTING).
func manPage(t testing.TB, src string) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("groff"); err != nil {
		return "", false
	}
	c := exec.Command("groff", "-man", "-Tascii", "-P-c")
	c.Stdin = strings.NewReader(src)
	out, err := c.Output()
	if err != nil {
		t.Fatalf("groff: %v", err)
	}
	return string(out), true
}

// TestOverstrikeManPage is qa22 L2: a key pair in a manual page formatted
// for a terminal, each key in bold (c\bc) or underlined (_\bc), raw or
// shown by cat -v (^H), was missed: no anchor stands in its text. Both
// keys are found, once each, with encoding overstrike (or plainly, where
// the page writes a key without overstrike); the same page with AWS's
// example keys, with a secret that has no name and no key ID, or with
// prose about key prefixes gives nothing.
func TestOverstrikeManPage(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(2935)
	page := func(id, secret, idMacro, secretMacro, name string) string {
		return ".TH DEPLOY 1\n.SH NAME\ndeploy \\- push the build\n.SH CREDENTIALS\nThe deploy user signs with\n" +
			idMacro + " " + id + "\nand the " + name + "\n" + secretMacro + " " + secret + "\n.PP\nRotate them yearly.\n"
	}
	for _, prefix := range []string{"AKIA", "ASIA"} {
		for _, macros := range [][2]string{{".B", ".B"}, {".I", ".I"}, {".B", ".I"}, {".I", ".B"}, {".B", ".RS\n"}} {
			id, secret := g.KeyID(prefix), g.Secret()
			out, ok := manPage(t, page(id, secret, macros[0], macros[1], "secret access key"))
			if !ok {
				t.Skip("no groff here: not checked")
			}
			for _, text := range []string{out, strings.ReplaceAll(out, "\b", "^H")} {
				fs := sc.Scan("deploy.txt", []byte(text))
				got := map[string]int{}
				for _, f := range fs {
					got[f.Secret]++
					if f.Encoding != "overstrike" && f.Encoding != "" {
						t.Errorf("%s %v: %s encoding %q", prefix, macros, scanner.Redact(f.Secret), f.Encoding)
					}
				}
				if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
					t.Errorf("%s %v: %v, want the pair once\n%q", prefix, macros, summarize(fs), text)
				}
			}
		}
	}
	for what, src := range map[string]string{
		"example":  page("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ".B", ".B", "secret access key"),
		"no name":  page("build 4711", g.Secret(), ".B", ".B", "checksum"),
		"prefixes": page("AKIA", "ASIA is a temporary key ID's prefix, AKIA a long-term one", ".B", ".I", "secret access key field"),
	} {
		out, _ := manPage(t, src)
		for _, text := range []string{out, strings.ReplaceAll(out, "\b", "^H")} {
			if fs := sc.Scan("deploy.txt", []byte(text)); len(fs) != 0 {
				t.Errorf("%s: %v, want nothing", what, summarize(fs))
			}
		}
	}
}

// BenchmarkOverstrike: a formatted page whose bold and underlined text
// holds near misses (key prefixes, a secret's name, a key ID cut short),
// repeated to 16 MiB, read whole; and the same page as it shows.
func BenchmarkOverstrike(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := fakekey.New(2936)
	var src strings.Builder
	src.WriteString(".TH DEPLOY 1\n.SH NAME\ndeploy \\- push\n")
	for i := 0; i < 200; i++ {
		src.WriteString(".SH AKIA ASIA\n.B secret_access_key\nis read from\n.I ~/.aws/credentials\n.PP\nplain words here, " + g.KeyID("AKIA")[:12] + "\n")
	}
	out, ok := manPage(b, src.String())
	if !ok {
		b.Skip("no groff here")
	}
	data := []byte(strings.Repeat(out, (16<<20)/len(out)))
	// the same page as it shows, without its overstrikes: what reading
	// it costs on top of its reading
	plain := []byte(regexp.MustCompile("[^\n]\b").ReplaceAllString(string(data), ""))
	for name, data := range map[string][]byte{"overstruck": data, "shown": plain} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				sc.ScanAll("page.txt", data)
			}
			reportCPU(b, cpu, len(data))
		})
	}
}

// FuzzOverstrike reads any text as an overstruck page: no panic,
// findings inside the input.
func FuzzOverstrike(f *testing.F) {
	f.Add([]byte("N\bNA\bAM\bME\bE\n_\bA_\bK\bK\b\b"))
	f.Add([]byte("N^HNA^HAM^HME^HE\nA^HA^H"))
	f.Add([]byte("\b\bA\bA\bA"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range sc.Scan("page.txt", data) {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
	})
}

// TestOverstrikeBelowText is hide32: an overstruck page whose first
// overstrike stands past the first 1 KiB (a typescript or log that caught
// man's output below other lines, a page with a long plain preamble) was
// not read, its keys missed. The pair is found once each, with encoding
// overstrike; a log that mentions ^H and holds stray backspaces gives
// nothing.
func TestOverstrikeBelowText(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	g := fakekey.New(3202)
	logLines := strings.Repeat("2026-01-04 02:14:07 INFO deploy: step finished without errors, next step queued\n", 30)
	for _, prefix := range []string{"AKIA", "ASIA"} {
		id, secret := g.KeyID(prefix), g.Secret()
		out, ok := manPage(t, ".TH DEPLOY 1\n.SH NAME\ndeploy \\- push the build\n.SH CREDENTIALS\nThe deploy user signs with\n.B "+id+
			"\nand the secret access key\n.I "+secret+"\n.PP\nRotate them yearly.\n")
		if !ok {
			t.Skip("no groff here: not checked")
		}
		for what, text := range map[string]string{
			"log":      logLines + "$ man ./deploy.1\n" + out,
			"preamble": strings.Repeat("\n", 1500) + out,
			"cat -v":   logLines + strings.ReplaceAll(out, "\b", "^H"),
		} {
			fs := sc.Scan("session.log", []byte(text))
			got := map[string]int{}
			for _, f := range fs {
				got[f.Secret]++
				if f.Encoding != "overstrike" && f.Encoding != "" {
					t.Errorf("%s %s: %s encoding %q", prefix, what, scanner.Redact(f.Secret), f.Encoding)
				}
			}
			if len(fs) != 2 || got[id] != 1 || got[secret] != 1 {
				t.Errorf("%s %s: %v, want the pair once", prefix, what, summarize(fs))
			}
		}
	}
	quiet := logLines + "press ^H^H^H to erase, or type stty erase ^H\nab\bc \b\b x\b\n" + logLines
	if fs := sc.Scan("session.log", []byte(quiet)); len(fs) != 0 {
		t.Errorf("stray backspaces: %v, want nothing", summarize(fs))
	}
}
