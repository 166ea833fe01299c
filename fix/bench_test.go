package fix_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// BenchmarkManyPairs: fix of a file of many key pairs, in the syntaxes
// whose custom-endpoint check reads the whole file for every finding:
// the check is made once per file, so the cost grows with the file, not
// with its square (qa10 MEDIUM-13: 400 pairs of a .env took 6 s, 40,000
// did not finish in 120 s). go test -bench ManyPairs ./fix/ prints ns/op
// per size; doubling the pairs should about double it.
func BenchmarkManyPairs(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []struct{ name, id, secret string }{
		{"app.env", "AWS_ACCESS_KEY_ID=%s\n", "AWS_SECRET_ACCESS_KEY=%s\n\n"},
		{"Dockerfile", "ENV AWS_ACCESS_KEY_ID=%s\n", "ENV AWS_SECRET_ACCESS_KEY=%s\n"},
		{"app.properties", "aws.accessKeyId=%s\n", "aws.secretKey=%s\n"},
	} {
		for _, n := range []int{200, 400, 800, 3200} {
			g := fakekey.New(uint64(n))
			var s strings.Builder
			for range n {
				fmt.Fprintf(&s, kind.id, g.KeyID("AKIA"))
				fmt.Fprintf(&s, kind.secret, g.Secret())
			}
			data := []byte(s.String())
			fs := sc.Scan(kind.name, data)
			b.Run(fmt.Sprintf("%s/%d", kind.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := fix.Apply(kind.name, data, fs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDefinitionsReferences: the definitions of a fixed .env file of
// many pairs of distinct variables and their references in it (one that
// expands each), as keyscan fix asks for them; linear in the pairs.
func BenchmarkDefinitionsReferences(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{400, 3200} {
		g := fakekey.New(uint64(n))
		var s strings.Builder
		for i := range n {
			fmt.Fprintf(&s, "export AWS_ACCESS_KEY_ID_%d=%s\nexport AWS_SECRET_ACCESS_KEY_%d=%s\n", i, g.KeyID("AKIA"), i, g.Secret())
		}
		for i := range n {
			fmt.Fprintf(&s, "echo \"$AWS_ACCESS_KEY_ID_%d\"\n", i)
		}
		data := []byte(s.String())
		fs := sc.Scan("run.sh", data)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				defs := fix.Definitions("run.sh", data, fs)
				if refs := fix.References("run.sh", data, defs); len(refs) != n {
					b.Fatalf("%d references, want %d", len(refs), n)
				}
			}
		})
	}
}

// BenchmarkComposeServices: the services of a compose file of many small
// services, as keyscan fix reads them (the line reader and yaml.v3), and
// what they mount; linear in the services (qa15 LOW-2: yaml.v3's decoding
// of the services: mapping into a map checked its keys pair by pair, and
// 25,000 services cost 7 CPU s).
func BenchmarkComposeServices(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		var s strings.Builder
		s.WriteString("services:\n")
		for i := range n {
			fmt.Fprintf(&s, "  svc%d:\n    image: x\n    environment:\n      A: b\n", i)
		}
		data := []byte(s.String())
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if len(fix.ComposeServices(data)) != n {
					b.Fatal("services missed")
				}
				fix.ComposeMounts(data)
			}
		})
	}
}

// BenchmarkKeysInEveryDocument: fix of a compose file whose every service
// holds a key pair, and of a multi-document manifest whose every
// Deployment does (qa17 H9: each finding read its YAML document, and its
// path's parents back to the file's top, again: 800 services cost 16 CPU
// s). go test -bench KeysInEveryDocument ./fix/: doubling the services
// should about double ns/op.
func BenchmarkKeysInEveryDocument(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []struct{ name, head, each, sep string }{
		{"docker-compose.yml", "services:\n", "  s%d:\n    image: app\n    environment:\n      - AWS_ACCESS_KEY_ID=%s\n      - AWS_SECRET_ACCESS_KEY=%s\n", ""},
		{"deploy.yaml", "", "kind: Deployment\nmetadata:\n  name: app%d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: %s\n        - name: AWS_SECRET_ACCESS_KEY\n          value: %s\n", "---\n"},
	} {
		for _, n := range []int{200, 800} {
			g := fakekey.New(uint64(n))
			var s strings.Builder
			s.WriteString(kind.head)
			for i := range n {
				if i > 0 {
					s.WriteString(kind.sep)
				}
				fmt.Fprintf(&s, kind.each, i, g.KeyID("AKIA"), g.Secret())
			}
			data := []byte(s.String())
			fs := sc.Scan(kind.name, data)
			b.Run(fmt.Sprintf("%s/%d", kind.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					fix.Definitions(kind.name, data, fs)
					if _, err := fix.Apply(kind.name, data, fs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFixManyKeys: fix of one Kubernetes file of many Deployments,
// each with a key pair, alone and beside a MinIO server's setting (qa34:
// the check that a key is such a server's own setting looked for each
// finding's value through the whole file, and 6,000 Deployments, 2.3 MB,
// cost 6.5 CPU s). go test -bench FixManyKeys ./fix/: doubling the
// Deployments should about double ns/op.
func BenchmarkFixManyKeys(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, head := range []struct{ name, text string }{
		{"alone", ""},
		{"minio", "kind: ConfigMap\ndata:\n  MINIO_ROOT_USER: admin\n---\n"},
	} {
		for _, n := range []int{1000, 4000} {
			g := fakekey.New(uint64(n))
			var s strings.Builder
			s.WriteString(head.text)
			for i := range n {
				fmt.Fprintf(&s, "kind: Deployment\nmetadata:\n  name: app%d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n"+
					"        - name: AWS_ACCESS_KEY_ID\n          value: %s\n        - name: AWS_SECRET_ACCESS_KEY\n          value: %s\n---\n", i, g.KeyID("AKIA"), g.Secret())
			}
			data := []byte(s.String())
			fs := sc.Scan("deploy.yaml", data)
			if len(fs) < 2*n {
				b.Fatalf("%d findings in %d Deployments", len(fs), n)
			}
			b.Run(fmt.Sprintf("%s/%d", head.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := fix.Apply("deploy.yaml", data, fs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
