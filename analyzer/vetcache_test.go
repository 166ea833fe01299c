package analyzer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestGoVetCacheSeesSideFiles runs the real go vet and go fix, on the real
// SDK, with a file the analyzer reads that is no build input of the package
// added and removed between runs: the go command's result cache must not
// answer for the state before (fix24: a Dockerfile with ENV
// AWS_ENDPOINT_URL added after a run was ignored until a Go file changed,
// and the cached fix to the instance role was still offered). One file of
// each kind the ID follows: a start-environment file (TestCacheInputs
// checks the ID follows .env, compose and the others of that kind without
// a go command), another package's Go file and a test file; each is two
// go vet runs from scratch on the SDK's ~300 packages, about 9 CPU
// seconds.
func TestGoVetCacheSeesSideFiles(t *testing.T) {
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "cache")
	gen := fakekey.New(2501)
	src := strings.NewReplacer("{{ID}}", gen.KeyID("AKIA"), "{{SECRET}}", gen.Secret()).Replace(`package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func New(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("{{ID}}", "{{SECRET}}", "")))
	return s3.NewFromConfig(cfg), err
}
`)
	write(t, filepath.Join(mod, "go.mod"), shapesGoMod)
	write(t, filepath.Join(mod, "store", "store.go"), src)
	run(t, mod, gobin, "mod", "tidy")
	vet := func(when string, fixed, fix bool) {
		t.Helper()
		out, _ := runCode(t, mod, gobin, "vet", "-vettool="+bin, "./...")
		if offered := strings.Contains(out, "replaces the static provider"); offered != fixed || !strings.Contains(out, "store.go:") {
			t.Errorf("go vet %s: fix offered %v, want %v; output:\n%s", when, offered, fixed, out)
		}
		if !fix {
			return // go fix's cache key is go vet's (its edits are one more file of the entry): asked once
		}
		diff, _ := runCode(t, mod, gobin, "fix", "-diff", "-fixtool="+bin, "./...")
		if offered := strings.Contains(diff, "ec2rolecreds"); offered != fixed {
			t.Errorf("go fix -diff %s: fix %v, want %v; output:\n%s", when, offered, fixed, diff)
		}
	}
	vet("before", true, true)
	for i, side := range []struct{ name, text string }{
		{"store/Dockerfile", "FROM scratch\nENV AWS_ENDPOINT_URL=http://minio.internal:9000\n"},
		{"cmd/app/main.go", "package main\n\nimport (\n\t\"context\"\n\t\"os\"\n\n\t\"example.com/shapes/store\"\n)\n\nfunc main() {\n\tos.Setenv(\"AWS_EC2_METADATA_DISABLED\", \"true\")\n\tstore.New(context.Background())\n}\n"},
		{"store/store_ext_test.go", "package store_test\n\nimport \"testing\"\n\nfunc TestLocal(t *testing.T) {\n\tt.Setenv(\"AWS_ENDPOINT_URL\", \"http://localhost:4566\")\n}\n"},
	} {
		p := filepath.Join(mod, filepath.FromSlash(side.name))
		write(t, p, side.text)
		vet("after adding "+side.name, false, i == 0)
		os.Remove(p)
		vet("after removing "+side.name, true, i == 0)
	}
}

// TestGoVetCacheSeesNamedConfig: a configuration named with
// -keyscan.config (outside the module) is not among the files CacheInputs
// reads, and the go command asks for -V=full without the tool's flags; an
// edit of that file alone must still not be answered from the cache
// (fix25 left it to go vet -a). Both spellings of the flag.
func TestGoVetCacheSeesNamedConfig(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the go command's arguments are read from /proc")
	}
	gobin, tmp, bin := buildKeyscan(t)
	mod := filepath.Join(tmp, "named")
	id := fakekey.New(2602).KeyID("AKIA")
	write(t, filepath.Join(mod, "go.mod"), "module example.com/named\n\ngo 1.26\n")
	write(t, filepath.Join(mod, "skipped", "skipped.go"), "package skipped\n\nconst ID = \""+id+"\"\n")
	named := filepath.Join(t.TempDir(), "ci.toml")
	for _, flags := range [][]string{{"-keyscan.config=" + named}, {"-keyscan.config", named}} {
		for _, step := range []struct {
			config   string
			reported bool
		}{
			{"exclude = [\"skipped/**\"]\n", false},
			{"# nothing excluded\n", true},
			{"exclude = [\"skipped/**\"]\n", false},
		} {
			write(t, named, step.config)
			args := append(append([]string{"vet", "-vettool=" + bin}, flags...), "./...")
			out, code := runCode(t, mod, gobin, args...)
			if got := strings.Contains(out, "skipped.go:3:"); got != step.reported || (code != 0) != step.reported {
				t.Errorf("go vet %q with %q: exit %d, reported %v, want %v; output:\n%s", flags, step.config, code, got, step.reported, out)
			}
		}
	}
}

// TestCacheInputs: the tool ID's extra input follows every file the
// analyzer reads beyond a package's build inputs, and no file of a folder
// the go command never builds in.
func TestCacheInputs(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "module example.com/m\n")
	write(t, filepath.Join(root, "a", "a.go"), "package a\n")
	sum := func() string {
		var b bytes.Buffer
		analyzer.CacheInputs(&b, filepath.Join(root, "a"), "off")
		return b.String()
	}
	base := sum()
	if sum() != base {
		t.Fatal("CacheInputs is not stable")
	}
	for _, name := range []string{"a/Dockerfile", "compose.yml", ".env", "a/.env.local", "a/a_test.go", "a/a_windows.go", "b/b.go", "go.sum", "vendor/modules.txt", ".keyscan.toml", "b/docker-compose.yaml",
		"Formula/app.rb", "debian/control", "PKGBUILD", "packaging/app.spec", // releaseFiles' (qa29 M3)
		"debian/app.service", "debian/app.install", "debian/rules", // DebianService's (qa30 L2)
		"README.md", "docs/install.md"} { // installDocs' (qa31 F4)
		p := filepath.Join(root, filepath.FromSlash(name))
		write(t, p, "AWS_ENDPOINT_URL=http://localhost:9000\n")
		if sum() == base {
			t.Errorf("adding %s leaves CacheInputs unchanged", name)
		}
		write(t, p, "AWS_ENDPOINT_URL=http://localhost:9001\n")
		with := sum()
		os.Remove(p)
		if with == base || sum() != base {
			t.Errorf("editing or removing %s: CacheInputs does not follow", name)
		}
	}
	for _, name := range []string{"a/README.md", "CHANGES.md", ".git/config", "a/testdata/x.go", "node_modules/x/run.sh", "nested/go.mod", "nested/x.go", ".env.example", "lib/app.rb", "docs/PKGBUILD"} {
		write(t, filepath.Join(root, filepath.FromSlash(name)), "x\n")
	}
	if sum() != base {
		t.Error("a file the analyzer never reads changed CacheInputs")
	}
	// A workspace's modules count (the importer reads go.work whatever
	// GOWORK says, so the file itself always does).
	write(t, filepath.Join(root, "go.work"), "go 1.26\n\nuse (\n\t.\n\t./nested\n)\n")
	var b bytes.Buffer
	analyzer.CacheInputs(&b, filepath.Join(root, "a"), "")
	inWork := b.String()
	os.WriteFile(filepath.Join(root, "nested", "x.go"), []byte("y\n"), 0o644)
	b.Reset()
	analyzer.CacheInputs(&b, filepath.Join(root, "a"), "")
	if b.String() == inWork {
		t.Error("a Go file of a module go.work uses did not change CacheInputs")
	}
}
