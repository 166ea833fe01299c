package analyzer_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestScanAgreesWithVetAcrossPackages is qa9 MEDIUM-6: a key ID split
// between a constant of one package of the module and a literal of the
// package that imports it was found by go vet at every split and by
// keyscan scan only at "AK" | "IA…", since the importing package held no
// literal that looks like a piece of a key. The module splits a key at
// every position from 2 to 18, imports the head's package plainly, under
// another name, with a dot and through a conversion, and adds heads and
// tails that complete nothing; the real go vet -vettool=keyscan and
// keyscan scan must report the same keys in the same packages. Scanning
// one package's folder alone reads the go.mod above it, as go vet does.
func TestScanAgreesWithVetAcrossPackages(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "splitmod")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/splitmod\n\ngo 1.26\n")
	g := fakekey.New(1717)
	want := map[string]bool{} // "package folder\x00redacted key"
	x5 := ""
	pkg := func(name, lib, main string) {
		write(t, filepath.Join(mod, name, "lib", "lib.go"), "// Package lib holds a piece of a key ID.\npackage lib\n\n"+lib)
		write(t, filepath.Join(mod, name, "main.go"), "package "+name+"\n\n"+main)
	}
	for n := 2; n <= 18; n++ {
		id := g.KeyID("AKIA")
		name := fmt.Sprintf("x%d", n)
		pkg(name, fmt.Sprintf("// Pre starts a key ID.\nconst Pre = %q\n", id[:n]),
			fmt.Sprintf("import \"example.com/splitmod/%s/lib\"\n\n// ID is a key ID.\nvar ID = lib.Pre + %q\n", name, id[n:]))
		want[name+"\x00"+scanner.Redact(id)] = true
		if n == 5 {
			x5 = scanner.Redact(id)
		}
	}
	id := g.KeyID("ASIA")
	pkg("dot", fmt.Sprintf("// Pre starts a key ID.\nconst Pre = %q\n", id[:7]),
		fmt.Sprintf("import . \"example.com/splitmod/dot/lib\"\n\n// ID is a key ID.\nconst ID = Pre + %q\n\nfunc F() string { return Pre + %q }\n", id[7:], id[7:]))
	want["dot\x00"+scanner.Redact(id)] = true
	id = g.KeyID("AKIA")
	pkg("named", fmt.Sprintf("// Pre starts a key ID.\nconst Pre = %q\n", id[:9]),
		fmt.Sprintf("import l2 \"example.com/splitmod/named/lib\"\n\n// ID is a key ID.\nvar ID = []string{l2.Pre +\n\t%q}\n", id[9:]))
	want["named\x00"+scanner.Redact(id)] = true
	id = g.KeyID("AKIA")
	pkg("typed", fmt.Sprintf("// Prefix is a typed head.\ntype Prefix string\n\n// Pre starts a key ID.\nconst Pre Prefix = %q\n", id[:12]),
		fmt.Sprintf("import \"example.com/splitmod/typed/lib\"\n\n// ID is a key ID.\nvar ID = string(lib.Pre) + %q + \"\"\n", id[12:]))
	want["typed\x00"+scanner.Redact(id)] = true
	// A head that the tail does not complete, and a tail that follows a
	// constant that starts no key: neither tool reports a key.
	id = g.KeyID("AKIA")
	pkg("noway", fmt.Sprintf("// Pre starts a key ID.\nconst Pre = %q\n\n// Other is no head.\nconst Other = \"ZZ\"\n", id[:6]),
		fmt.Sprintf("import \"example.com/splitmod/noway/lib\"\n\n// A is short.\nvar A = lib.Pre + %q\n\n// B follows no head.\nvar B = lib.Other + %q\n", id[6:12], id[2:]))

	// qa29 L1: a key folded from constants or from literals given to a
	// call is one finding in each tool, at the same place (scan reported
	// the calls' keys twice: at the call, the fold's place and go vet's,
	// and at the first literal, where its byte scan joined them).
	for _, c := range []struct{ name, files string }{
		{"block", "const (\n\thead = %[1]q\n\ttail = %[2]q\n\tID   = head + tail\n)\n"},
		{"varplus", "const head = %[1]q\n\nconst tail = %[2]q\n\n// ID is a key ID.\nvar ID = head + tail\n"},
		{"sprintconst", "import \"fmt\"\n\nconst head = %[1]q\n\nconst tail = %[2]q\n\n// ID is a key ID.\nvar ID = fmt.Sprint(head, tail)\n"},
		{"sprint", "import \"fmt\"\n\n// ID is a key ID.\nvar ID = fmt.Sprint(%[1]q, %[2]q)\n"},
		{"sprintf", "import \"fmt\"\n\n// ID is a key ID.\nvar ID = fmt.Sprintf(\"%%s%%s\", %[1]q, %[2]q)\n"},
		{"join", "import \"strings\"\n\n// ID is a key ID.\nvar ID = strings.Join([]string{%[1]q,\n\t%[2]q}, \"\")\n"},
		{"twofiles", "const head = %[1]q\n\x00package twofiles\n\n// ID is a key ID.\nconst ID = head + %[2]q\n"},
	} {
		id := g.KeyID("AKIA")
		for i, src := range strings.Split(fmt.Sprintf(c.files, id[:8], id[8:]), "\x00") {
			if i == 0 {
				src = "package " + c.name + "\n\n" + src
			}
			write(t, filepath.Join(mod, c.name, fmt.Sprintf("f%d.go", i)), src)
		}
		want[c.name+"\x00"+scanner.Redact(id)] = true
	}

	out, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
	if code == 0 {
		t.Fatalf("go vet: exit 0, want the split keys\n%s", out)
	}
	vetLine := regexp.MustCompile(`(?m)^(?:\./)?((\S+\.go):\d+:\d+): AWS access key ID (\S+) `)
	vet := map[string]bool{}
	var vetPlaces []string // "file:line:col key", one a finding
	for _, m := range vetLine.FindAllStringSubmatch(out, -1) {
		vet[path.Dir(m[2])+"\x00"+m[3]] = true
		vetPlaces = append(vetPlaces, m[1]+" "+m[3])
	}
	if !maps.Equal(vet, want) {
		t.Errorf("go vet reports %q, want %q\n%s", sorted(vet), sorted(want), out)
	}

	empty := filepath.Join(tmp, "empty.toml")
	write(t, empty, "")
	var scanPlaces []string
	scan := func(root string) map[string]bool {
		t.Helper()
		out, code := runCode(t, mod, bin, "scan", "--config", empty, "--format", "json", root)
		if code != 1 {
			t.Fatalf("keyscan scan %s: exit %d, want 1\n%s", root, code, out)
		}
		var found []struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
			Secret string `json:"secret"`
		}
		if err := json.Unmarshal([]byte(out), &found); err != nil {
			t.Fatalf("keyscan scan %s: %v\n%s", root, err, out)
		}
		got := map[string]bool{}
		scanPlaces = nil
		for _, f := range found {
			got[path.Dir(f.File)+"\x00"+f.Secret] = true
			scanPlaces = append(scanPlaces, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Secret))
		}
		return got
	}
	if got := scan("."); !maps.Equal(got, vet) {
		t.Errorf("keyscan scan . reports %q; go vet %q", sorted(got), sorted(vet))
	}
	// One finding a key and place, the same in both (qa29 L1).
	slices.Sort(vetPlaces)
	slices.Sort(scanPlaces)
	if diff := cmp.Diff(vetPlaces, scanPlaces); diff != "" {
		t.Errorf("keyscan scan . and go vet report different places (-vet +scan):\n%s", diff)
	}
	// A package folder alone: its go.mod lies above the root.
	if got := scan("x5"); len(got) != 1 || !got["x5\x00"+x5] {
		t.Errorf("keyscan scan x5 reports %q, want the key of x5", sorted(got))
	}
}

func sorted(m map[string]bool) []string {
	return slices.Sorted(maps.Keys(m))
}
