package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetBindata is qa12 HIGH-4: go-bindata (the real one, through the
// module proxy) gzips each asset into bindata.go as a string of \x escapes;
// with the asset's folder gone, the key pair lives only there. go vet
// -vettool=keyscan and keyscan scan both open the stream and report the
// pair, at the literal (vet) and in the member (scan), and agree on it. A
// []byte composite literal of the same bytes in decimals, which no byte
// scan notation covers, is the type checker's: both report it too, as a
// member named go-constant.
func TestGoVetBindata(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "mod")
	vals := fakekey.New(66).Values()
	write(t, filepath.Join(mod, "go.mod"), "module example.com/app\n\ngo 1.22\n")
	write(t, filepath.Join(mod, "config", "prod.yaml"), fmt.Sprintf("aws:\n  access_key_id: %s\n  secret_access_key: %s\n  region: us-east-1\n", vals["ID"], vals["SECRET"]))
	if out, code := runCode(t, mod, gobin, "run", "github.com/go-bindata/go-bindata/go-bindata@v3.1.2+incompatible", "-pkg", "main", "-o", "bindata.go", "config/"); code != 0 {
		t.Skipf("go-bindata through the module proxy: exit %d (no network?)\n%s", code, out)
	}
	if err := os.RemoveAll(filepath.Join(mod, "config")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(mod, "main.go"), "package main\n\nfunc main() { _ = MustAsset(\"config/prod.yaml\") }\n")
	run(t, mod, gobin, "build", "-o", os.DevNull, ".")
	src, err := os.ReadFile(filepath.Join(mod, "bindata.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `[]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff`) {
		t.Fatalf("go-bindata wrote no gzip stream as escapes:\n%.2000s", src)
	}

	// The same gzip stream as a composite literal of decimals in another
	// package file (a hand-rolled embedding no byte notation covers).
	m := regexp.MustCompile(`var _configProdYaml = \[\]byte\("((?:\\x[0-9a-f]{2})+)"\)`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("no asset variable in bindata.go")
	}
	var nums []string
	for i := 0; i+4 <= len(m[1]); i += 4 {
		var b byte
		fmt.Sscanf(string(m[1][i+2:i+4]), "%02x", &b)
		nums = append(nums, fmt.Sprint(b))
	}
	// Another gzip header (mtime 1), so that the bytes differ from the
	// asset's and are opened on their own.
	nums[4] = "1"
	write(t, filepath.Join(mod, "copy.go"), "package main\n\nvar backup = []uint8{"+strings.Join(nums, ", ")+"}\n")

	vet, code := runCode(t, mod, gobin, "vet", "-vettool="+bin, ".")
	if code == 0 {
		t.Fatalf("go vet -vettool=keyscan: exit 0, want failure; output:\n%s", vet)
	}
	scan, code := runCode(t, mod, bin, "scan", "--strict", "--format", "text", "--show-secrets", ".")
	if code != 1 {
		t.Fatalf("keyscan scan --strict: exit %d, want 1\n%s", code, scan)
	}
	for _, file := range []string{"bindata.go", "copy.go"} {
		var vetLines, scanLines []string
		for _, l := range strings.Split(vet, "\n") {
			if strings.HasPrefix(l, "./"+file+":") || strings.HasPrefix(l, file+":") {
				vetLines = append(vetLines, l)
			}
		}
		for _, l := range strings.Split(scan, "\n") {
			if strings.HasPrefix(l, file+"!") {
				scanLines = append(scanLines, l)
			}
		}
		for _, k := range []string{"ID", "SECRET"} {
			if !slices.ContainsFunc(vetLines, func(l string) bool { return strings.Contains(l, vals[k][:4]) && strings.Contains(l, file+"!") }) {
				t.Errorf("go vet: no report of the %s in the archive %s holds:\n%s", k, file, vet)
			}
		}
		if len(scanLines) == 0 {
			t.Errorf("keyscan scan: nothing found in an archive member of %s:\n%s", file, scan)
		}
		// vet names the member as scan does.
		for _, l := range scanLines {
			member := strings.Fields(l)[0]
			if !strings.Contains(vet, member) {
				t.Errorf("keyscan scan reports member %s; go vet does not name it:\n%s", member, vet)
			}
		}
	}
	if !strings.Contains(scan, "copy.go!go-constant ") || !strings.Contains(scan, "bindata.go!string-escape ") {
		t.Errorf("keyscan scan: want members bindata.go!string-escape … and copy.go!go-constant …:\n%s", scan)
	}
}
