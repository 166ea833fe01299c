package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// fixTreeKinds are the files with keys a generated tree holds, one of
// each kind keyscan fix judges with files elsewhere in the run: a
// credentials file with keys and its endpoint, compose services, a chart's
// values and a helmfile release, Terraform (provider, backend, tfvars),
// .env files that code or scripts load, application settings read by code,
// a Kubernetes Secret, and source code.
var fixTreeKinds = []func(dir string, id, secret string, r *rand.Rand) map[string]string{
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{dir + "/.env": fmt.Sprintf("APP=web\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, secret)}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		out := map[string]string{dir + "/config/.env": fmt.Sprintf("AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, secret)}
		if r.IntN(2) == 0 {
			out[dir+"/app.py"] = "from dotenv import load_dotenv\nimport boto3\nload_dotenv('config/.env')\ns3 = boto3.client('s3', endpoint_url='http://minio:9000')\n"
		} else {
			out[dir+"/run.sh"] = "#!/bin/sh\nset -a; . ./config/.env; set +a\nexec app\n"
		}
		return out
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		env := ""
		if r.IntN(2) == 0 {
			env = "      AWS_ENDPOINT_URL: http://localstack:4566\n"
		}
		return map[string]string{dir + "/compose.yaml": fmt.Sprintf("services:\n  app:\n    image: app\n    environment:\n      AWS_ACCESS_KEY_ID: %s\n      AWS_SECRET_ACCESS_KEY: %s\n%s    volumes:\n      - ./creds:/root/.aws\n  db:\n    image: postgres\n", id, secret, env)}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{
			dir + "/chart/Chart.yaml":              "apiVersion: v2\nname: app\nversion: 0.1.0\n",
			dir + "/chart/values.yaml":             fmt.Sprintf("aws:\n  accessKeyId: %s\n  secretAccessKey: %s\n", id, secret),
			dir + "/chart/templates/deploy.yaml":   "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: {{ .Values.aws.accessKeyId }}\n",
			dir + "/helmfile.yaml":                 "releases:\n- name: app\n  chart: ./chart\n  values:\n  - chart/values.yaml\n  set:\n  - name: region\n    value: eu-west-1\n",
			dir + "/chart/envs/onprem.values.yaml": "endpoint: http://10.0.0.5:9000\n",
		}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{
			dir + "/main.tf":          fmt.Sprintf("terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n    access_key = %q\n    secret_key = %q\n  }\n}\nprovider \"aws\" {\n  region = var.region\n}\n", id, secret),
			dir + "/prod.tfbackend":   "endpoint = \"http://minio:9000\"\n",
			dir + "/variables.tf":     "variable \"region\" {}\nvariable \"key\" {}\n",
			dir + "/terraform.tfvars": fmt.Sprintf("key = %q\nregion = \"eu-west-1\"\n", id),
		}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{
			dir + "/src/main/resources/application.yml": fmt.Sprintf("aws:\n  accessKey: %s\n  secretKey: %s\n", id, secret),
			dir + "/src/main/java/App.java":             "class App { @Value(\"${aws.accessKey}\") String k; }\n",
		}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{dir + "/k8s/secret.yaml": fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3\nstringData:\n  AWS_ACCESS_KEY_ID: %s\n  AWS_SECRET_ACCESS_KEY: %s\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        envFrom:\n        - secretRef:\n            name: s3\n", id, secret)}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{dir + "/aws/credentials": fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret),
			dir + "/aws/config": "[default]\nregion = eu-west-1\n"}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{dir + "/upload.py": fmt.Sprintf("import boto3\ns3 = boto3.client('s3', aws_access_key_id=%q, aws_secret_access_key=%q)\n", id, secret)}
	},
	func(dir, id, secret string, r *rand.Rand) map[string]string {
		return map[string]string{dir + "/Dockerfile": fmt.Sprintf("FROM python:3\nENV AWS_ACCESS_KEY_ID=%s\nENV AWS_SECRET_ACCESS_KEY=%s\nCOPY . /app\n", id, secret)}
	},
}

// fixTreeFillers are files without keys, of the kinds the rules read.
var fixTreeFillers = []struct{ name, content string }{
	{"main.go", "package main\n\nfunc main() {}\n"},
	{"util.py", "import os\n\ndef f():\n    return os.environ.get('HOME')\n"},
	{"index.js", "const x = require('./lib');\nmodule.exports = x;\n"},
	{"README.md", "# service\n\nSome words.\n"},
	{"config.yaml", "name: svc\nreplicas: 2\n"},
	{"settings.json", "{\"name\": \"svc\", \"port\": 8080}\n"},
	{"build.sh", "#!/bin/sh\nmake all\n"},
	{"Makefile", "all:\n\tgo build ./...\n"},
	{"deploy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"},
	{"values.yaml", "replicas: 1\n"},
	{"notes.txt", "nothing here\n"},
	{"app.properties", "server.port=8080\n"},
}

// genFixTree writes under dir a tree of about files files, keys of them
// holding keys, in nested folders, chosen from seed.
func genFixTree(tb testing.TB, dir string, seed uint64, files, keys int) {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 22))
	g := fakekey.New(seed)
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	n := 0
	for i := range keys {
		d := fmt.Sprintf("svc%02d/part%d", i%17, i)
		for name, content := range fixTreeKinds[r.IntN(len(fixTreeKinds))](d, g.KeyID("AKIA"), g.Secret(), r) {
			write(name, content)
			n++
		}
	}
	for i := 0; n < files; i++ {
		f := fixTreeFillers[r.IntN(len(fixTreeFillers))]
		write(fmt.Sprintf("svc%02d/mod%d/sub%d/%d-%s", r.IntN(23), r.IntN(40), r.IntN(3), i, f.name), f.content)
		n++
	}
	if r.IntN(2) == 0 {
		write("node_modules/lib/index.js", "module.exports = {}\n")
		write(".git/config", "[core]\n")
	}
}

// runFixIn runs keyscan fix with args in dir and returns its exit status
// and outputs.
func runFixIn(tb testing.TB, dir string, args ...string) (int, string, string) {
	tb.Helper()
	return runFixInCached(tb, dir, true, args...)
}

// runFixInCached is runFixIn with the run's tree cache on or off.
func runFixInCached(tb testing.TB, dir string, cached bool, args ...string) (int, string, string) {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		tb.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runFixCached(context.Background(), args, e, cached)
	return code, stdout.String(), stderr.String()
}

// TestFixCacheChangesNothing: keyscan fix with the run's tree cache
// prints, exits and writes byte for byte what it does when every rule asks
// the file system itself, over generated trees of every kind of file with
// keys, with the hostile parts a walk meets (a link out of the tree, a link
// to a folder, a FIFO, an unreadable folder, a file past max_file_size).
func TestFixCacheChangesNothing(t *testing.T) {
	seeds := uint64(4)
	if testing.Short() {
		seeds = 2 // each seed runs keyscan fix six times, three of them without the cache
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "tree")
			genFixTree(t, dir, seed, 150, 10+int(seed)*2)
			hostileParts(t, base, dir, seed)
			named := "svc00/part0"
			for _, p := range []string{"svc02/part2/.env", "svc02/part2/compose.yaml", "svc02/part2/upload.py", "svc02/part2/Dockerfile"} {
				if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
					named = p
				}
			}
			for _, args := range [][]string{{"--diff", "--show-secrets", "."}, {"--diff", "svc01", named, "."}} {
				code1, out1, err1 := runFixInCached(t, dir, true, args...)
				code2, out2, err2 := runFixInCached(t, dir, false, args...)
				if code1 != code2 || out1 != out2 || err1 != err2 {
					t.Fatalf("fix %q: cached run differs:\nexit %d / %d\n--- cached stdout\n%s\n--- uncached stdout\n%s\n--- cached stderr\n%s\n--- uncached stderr\n%s", args, code1, code2, out1, out2, err1, err2)
				}
				if out1 == "" && code1 != 0 {
					t.Fatalf("fix %q: exit %d and no diff: %s", args, code1, err1)
				}
			}
			// --write: two copies, one fixed each way, end the same.
			copies := [2]string{filepath.Join(base, "w1"), filepath.Join(base, "w2")}
			var outs [2]string
			for i, c := range copies {
				if err := os.CopyFS(c, os.DirFS(dir)); err != nil {
					t.Skipf("copying the tree: %v", err)
				}
				code, out, errs := runFixInCached(t, c, i == 0, "--write", ".")
				outs[i] = fmt.Sprintf("%d\n%s\n%s", code, out, errs)
			}
			if outs[0] != outs[1] {
				t.Fatalf("fix --write: cached run differs:\n%s\n---\n%s", outs[0], outs[1])
			}
			if a, b := treeText(t, copies[0]), treeText(t, copies[1]); a != b {
				t.Fatalf("fix --write: the trees differ")
			}
		})
	}
}

// hostileParts adds to the tree dir what a walk must pass by: a link out
// of it (to base), a link to one of its folders, a FIFO, an unreadable
// folder and a file with a key past max_file_size, some of them by seed.
func hostileParts(t *testing.T, base, dir string, seed uint64) {
	t.Helper()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	v := fakekey.New(seed + 100).Values()
	must(os.WriteFile(filepath.Join(base, "outside.env"), []byte("AWS_ENDPOINT_URL=http://minio:9000\n"), 0o644))
	must(os.Symlink(filepath.Join(base, "outside.env"), filepath.Join(dir, "svc01", "linked.env")))
	must(os.Symlink("../svc02", filepath.Join(dir, "svc01", "linkdir")))
	if seed%2 == 0 {
		if err := mkfifo(filepath.Join(dir, "svc03", "pipe.env")); err != nil {
			t.Logf("no FIFO: %v", err)
		}
		big := "AWS_ACCESS_KEY_ID=" + v["ID"] + "\n" + strings.Repeat("# padding line\n", 1<<17)
		must(os.WriteFile(filepath.Join(dir, "svc04", "big.env"), []byte(big), 0o644))
	}
	if seed%3 == 0 && os.Geteuid() != 0 {
		locked := filepath.Join(dir, "svc05", "locked")
		must(os.MkdirAll(locked, 0o755))
		must(os.WriteFile(filepath.Join(locked, "compose.yaml"), []byte("services:\n  s3:\n    image: minio/minio\n"), 0o644))
		must(os.Chmod(locked, 0))
		t.Cleanup(func() { os.Chmod(locked, 0o755) })
	}
}

// treeText is every regular file under dir with its content, in order.
func treeText(t *testing.T, dir string) string {
	t.Helper()
	var s strings.Builder
	filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || !de.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&s, "== %s\n%s", rel, b)
		return nil
	})
	return s.String()
}

// BenchmarkFixTree: keyscan fix --diff of a tree of 3,000 files, 40 of
// them with keys of every kind whose rules look at other files of the run
// (releases, mounts, backends, loaders, readers): each run walks the tree
// and reads each file once, so 40 files with keys cost about what one
// does (round 14's review: 2.4-2.6 s where 0.4-0.8 s was expected).
func BenchmarkFixTree(b *testing.B) {
	for _, keys := range []int{1, 40} {
		dir := b.TempDir()
		genFixTree(b, dir, 1, 3000, keys)
		for _, cached := range []bool{true, false} {
			name := fmt.Sprintf("keys=%d", keys)
			if !cached {
				name += "/uncached" // as before the cache: each rule walks and reads
			}
			b.Run(name, func(b *testing.B) {
				benchFix(b, dir, cached)
			})
		}
	}
}

// BenchmarkFixConfigFolder measures keyscan fix of a folder named config
// holding files JSON files of 200 settings, each with one key pair: every
// file is a layer of every other (configLayered), and each sibling's
// endpoint was parsed again for every target (review16 B F1: 60 files
// took 35 s).
func BenchmarkFixConfigFolder(b *testing.B) {
	for _, files := range []int{60, 400} {
		dir := b.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "config"), 0o755); err != nil {
			b.Fatal(err)
		}
		g := fakekey.New(uint64(files))
		var opts strings.Builder
		for j := range 200 {
			fmt.Fprintf(&opts, "    \"opt%d\": \"v\",\n", j)
		}
		for i := range files {
			body := fmt.Sprintf("{\n  \"s3\": {\n%s    \"accessKeyId\": %q,\n    \"secretAccessKey\": %q\n  }\n}\n", opts.String(), g.KeyID("AKIA"), g.Secret())
			if err := os.WriteFile(filepath.Join(dir, "config", fmt.Sprintf("env%03d.json", i)), []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("files=%d", files), func(b *testing.B) {
			benchFix(b, dir, true)
		})
	}
}

// benchFix runs keyscan fix --diff of dir b.N times.
func benchFix(b *testing.B, dir string, cached bool) {
	cpu := cpuTime()
	for b.Loop() {
		if code, _, stderr := runFixInCached(b, dir, cached, "--diff", "."); code > 1 {
			b.Fatalf("exit %d: %s", code, stderr)
		}
	}
	// CPU time is what a loaded machine does not inflate.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}
