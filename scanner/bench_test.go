package scanner_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// ordinaryText is 8 MiB of real source: the Go standard library as installed.
func ordinaryText(b *testing.B) []byte {
	var buf bytes.Buffer
	root := filepath.Join(runtime.GOROOT(), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || buf.Len() >= 8<<20 {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.Contains(p, "testdata") {
			data, err := os.ReadFile(p)
			if err == nil {
				buf.Write(data)
			}
		}
		return nil
	})
	if buf.Len() == 0 {
		b.Skip("no Go source under GOROOT")
	}
	return buf.Bytes()
}

// nearMisses is text dense with things that look like credentials and are not:
// hashes, identifiers, key IDs with bad characters, keywords without values,
// base64 blobs, example keys; and random secrets, which the keywords around
// them make findings.
func nearMisses() []byte { return nearMissText(nil, 8<<20) }

// nearMissKinds names the kinds of line nearMissText writes, by number.
var nearMissKinds = []string{"hashes", "keyword-refs", "bad-key-ids", "keyword-calls", "base64-key-ids",
	"example-keys", "random-secrets", "keyword-comments"}

// nearMissText is size bytes of the lines of nearMisses, of the kinds
// named (numbers into nearMissKinds; nil: all), each line's kind drawn at
// random among them.
func nearMissText(kinds []int, size int) []byte {
	if kinds == nil {
		kinds = []int{0, 1, 2, 3, 4, 5, 6, 7}
	}
	r := rand.New(rand.NewPCG(1, 2))
	g := fakekey.New(3)
	var buf bytes.Buffer
	hex := "0123456789abcdef"
	for buf.Len() < size {
		switch kinds[r.IntN(len(kinds))] {
		case 0:
			buf.WriteString("sha1 = ")
			for range 40 {
				buf.WriteByte(hex[r.IntN(16)])
			}
			buf.WriteString("\n")
		case 1:
			buf.WriteString("aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n")
		case 2:
			buf.WriteString("id: AKIA1234567890123456 AIDA" + g.KeyID("")[:16] + "\n")
		case 3:
			buf.WriteString("secretKey := getAwsSecretAccessKeyFromEnvironmentVariable()\n")
		case 4:
			buf.WriteString("token: \"" + strings.Repeat("QUtJQUFBQUFBQUFBQUFBQUFBQUFB", 3) + "\"\n")
		case 5:
			buf.WriteString("example: AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
		case 6:
			buf.WriteString("random: " + g.Secret() + "\n")
		case 7:
			buf.WriteString("// session token handling for the secret store\n")
		}
	}
	return buf.Bytes()
}

// BenchmarkNearMissLines scans 4 MiB of each kind of line of nearMisses
// alone, then of random secrets beside each kind of keyword line: the
// mixes that make every secret a finding, the slowest text of these lines
// (about 20 MB per CPU second: the cost of a finding, a few µs, every 100
// bytes), where each kind alone runs at 100 to 900.
func BenchmarkNearMissLines(b *testing.B) {
	for k, name := range nearMissKinds {
		b.Run(name, func(b *testing.B) { benchScan(b, nearMissText([]int{k}, 4<<20)) })
	}
	for _, k := range []int{1, 3, 7} {
		b.Run("random-secrets+"+nearMissKinds[k], func(b *testing.B) { benchScan(b, nearMissText([]int{6, k}, 4<<20)) })
	}
}

func benchScan(b *testing.B, data []byte) { benchScanAs(b, "bench.txt", data) }

// benchScanAs is benchScan for a file of that name.
func benchScanAs(b *testing.B, name string, data []byte) {
	if os.Getenv("KEYSCAN_BENCH_CLI") != "" {
		benchScanNamed(b, name, data)
		return
	}
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		sc.Scan(name, data)
	}
	reportCPU(b, cpu, len(data))
}

// cliLimit is config.DefaultMaxFindings, the max_findings_per_file keyscan's
// commands scan with.
const cliLimit = 10000

// benchScanCLI is benchScan scanning as keyscan's commands do, with the
// default max_findings_per_file and check budget: past the one the
// matcher only counts candidates, past the other it counts what it would
// check (work.go).
func benchScanCLI(b *testing.B, data []byte) { benchScanNamed(b, "bench.txt", data) }

// benchScanNamed is benchScanCLI for a file of that name (its kind decides
// which readers run: markup for .md and .html).
func benchScanNamed(b *testing.B, name string, data []byte) {
	sc, err := scanner.New(scanner.Options{CheckBudget: cliBudget()})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		sc.ScanAllCounted(name, data, cliLimit)
	}
	reportCPU(b, cpu, len(data))
}

// cliBudget is config.DefaultCheckBudget, the check budget the commands
// scan with, or 0 (no budget) when KEYSCAN_BENCH_CLI is "nobudget": to
// measure what the budget's accounting costs.
func cliBudget() int {
	if os.Getenv("KEYSCAN_BENCH_CLI") == "nobudget" {
		return 0
	}
	return 1
}

// tiled repeats text to exactly size bytes.
func tiled(text []byte, size int) []byte {
	return bytes.Repeat(text, size/max(1, len(text))+1)[:size]
}

// reportCPU adds MB per CPU second to the benchmark's output: on a shared
// machine the wall-clock MB/s falls with the load, the work per core does
// not. The process's CPU time includes the garbage collector's.
func reportCPU(b *testing.B, since time.Duration, size int) {
	if used := cpuTime() - since; used > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/used.Seconds(), "MB/cpu-s")
	}
}

func BenchmarkScanOrdinary(b *testing.B)   { benchScan(b, ordinaryText(b)) }
func BenchmarkScanNearMisses(b *testing.B) { benchScan(b, nearMisses()) }

// BenchmarkLongLine compares a file of N candidates written on one line
// (minified JSON, CloudTrail logs) with the same file on N lines: the cost
// must be the same within 2x.
func BenchmarkLongLine(b *testing.B) {
	for _, c := range []struct {
		name string
		gen  func(int, string) []byte
		n    int
	}{{"keyIDs", cloudTrail, 3000}, {"keyIDs", cloudTrail, 12000}, {"pairs", keyPairs, 32000}} {
		for _, layout := range []struct{ name, sep string }{{"lines", ",\n"}, {"oneline", ","}} {
			b.Run(fmt.Sprintf("%s-%d-%s", c.name, c.n, layout.name), func(b *testing.B) {
				benchScan(b, c.gen(c.n, layout.sep))
			})
		}
	}
}

// A corpus is a set of files scanned one by one, as keyscan scan does.
type corpusFile struct {
	name string
	data []byte
}

// loadCorpus reads the files under the directory named by the environment
// variable env whose names end in one of suffixes, up to 64 MiB. The real
// corpora (botocore's service models, trufflehog's detector tests) come from
// checkouts kept outside this repository; without the variable the
// benchmark uses gen, a generated corpus of the same shape.
func loadCorpus(b *testing.B, env string, gen func() []corpusFile, suffixes ...string) []corpusFile {
	root := os.Getenv(env)
	if root == "" {
		return gen()
	}
	var files []corpusFile
	total := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= 64<<20 {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		for _, s := range suffixes {
			if d.Type().IsRegular() && strings.HasSuffix(p, s) {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(root, p)
				files = append(files, corpusFile{rel, data})
				total += len(data)
				break
			}
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		b.Fatalf("%s=%s: no corpus (%v)", env, root, err)
	}
	return files
}

func benchFiles(b *testing.B, files []corpusFile) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	scan := func(name string, data []byte) { sc.Scan(name, data) }
	if os.Getenv("KEYSCAN_BENCH_CLI") != "" { // as the commands scan: the limit and the check budget
		if sc, err = scanner.New(scanner.Options{CheckBudget: cliBudget()}); err != nil {
			b.Fatal(err)
		}
		scan = func(name string, data []byte) { sc.ScanAllCounted(name, data, cliLimit) }
	}
	n := 0
	for _, f := range files {
		n += len(f.data)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		for _, f := range files {
			scan(f.name, f.data)
		}
	}
	reportCPU(b, cpu, n)
}

// serviceModels generates JSON shaped like botocore's service models
// (botocore/data/*/*/service-2.json): shapes whose members are named
// AccessKeyId, SecretAccessKey, SessionToken, with documentation strings.
func serviceModels() []corpusFile {
	r := rand.New(rand.NewPCG(4, 5))
	words := strings.Fields("the of a an to for and in is that with this when you specified request response returns " +
		"identifier resource policy role access key secret session token credentials region bucket object " +
		"instance value name type list maximum minimum number string boolean Amazon AWS IAM STS S3 EC2")
	doc := func(n int) string {
		var b strings.Builder
		b.WriteString("<p>")
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		b.WriteString(".</p>")
		return b.String()
	}
	members := []string{"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "RoleArn", "RoleSessionName",
		"Policy", "DurationSeconds", "ExternalId", "SerialNumber", "TokenCode", "SourceIdentity", "Credentials",
		"AssumedRoleUser", "PackedPolicySize", "BucketName", "Key", "VersionId", "NextToken", "MaxResults"}
	var files []corpusFile
	for f := 0; f < 40; f++ {
		var b bytes.Buffer
		b.WriteString("{\n  \"version\":\"2.0\",\n  \"metadata\":{\n    \"apiVersion\":\"2011-06-15\",\n    \"endpointPrefix\":\"sts\",\n" +
			"    \"protocol\":\"query\",\n    \"serviceFullName\":\"AWS Security Token Service\",\n    \"signatureVersion\":\"v4\"\n  },\n  \"shapes\":{\n")
		for s := 0; b.Len() < 200<<10; s++ {
			fmt.Fprintf(&b, "    \"Shape%d\":{\n      \"type\":\"structure\",\n      \"members\":{\n", s)
			for m := range 2 + r.IntN(6) {
				name := members[r.IntN(len(members))]
				if m > 0 {
					b.WriteString(",\n")
				}
				fmt.Fprintf(&b, "        \"%s\":{\n          \"shape\":\"%sType\",\n          \"documentation\":\"%s\"\n        }", name, name, doc(8+r.IntN(40)))
			}
			fmt.Fprintf(&b, "\n      },\n      \"documentation\":\"%s\"\n    },\n", doc(10+r.IntN(60)))
		}
		b.WriteString("  }\n}\n")
		files = append(files, corpusFile{fmt.Sprintf("data/svc%d/2011-06-15/service-2.json", f), b.Bytes()})
	}
	return files
}

// detectorTests generates Go tests shaped like a secret scanner's detector
// tests (trufflehog's pkg/detectors/*/*_test.go): tables of inputs full of
// secret-shaped strings of many services, keywords next to them, and a few
// AWS key pairs.
func detectorTests() []corpusFile {
	r := rand.New(rand.NewPCG(6, 7))
	g := fakekey.New(9)
	alnum := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rnd := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[r.IntN(len(alnum))]
		}
		return string(b)
	}
	services := []string{"github", "slack", "stripe", "twilio", "sendgrid", "datadog", "okta", "heroku", "mailgun", "shopify"}
	var files []corpusFile
	for f := 0; f < 200; f++ {
		svc := services[r.IntN(len(services))]
		var b bytes.Buffer
		fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\t\"testing\"\n\n\t\"github.com/google/go-cmp/cmp\"\n)\n\n", svc)
		fmt.Fprintf(&b, "var (\n\tvalidPattern   = \"%s_secret = %s\"\n\tinvalidPattern = \"%s_token: %s\"\n\tkeyword        = \"%s\"\n)\n\n",
			svc, rnd(40), svc, rnd(32), svc)
		fmt.Fprintf(&b, "func Test%s_Pattern(t *testing.T) {\n\td := Scanner{}\n\ttests := []struct {\n\t\tname  string\n\t\tinput string\n\t\twant  []string\n\t}{\n", svc)
		for c := 0; c < 30; c++ {
			switch r.IntN(6) {
			case 0:
				fmt.Fprintf(&b, "\t\t{name: \"valid pattern\", input: fmt.Sprintf(\"%%s token = '%%s'\", keyword, \"%s\"), want: []string{\"%s\"}},\n", rnd(36), rnd(36))
			case 1:
				fmt.Fprintf(&b, "\t\t{name: \"secret key\", input: `client_secret: %s`, want: nil},\n", rnd(40))
			case 2:
				fmt.Fprintf(&b, "\t\t{name: \"api key\", input: \"%s_API_KEY=%s\\n%s_SECRET=%s\", want: []string{}},\n", strings.ToUpper(svc), rnd(32), strings.ToUpper(svc), rnd(64))
			case 3:
				fmt.Fprintf(&b, "\t\t{name: \"aws\", input: \"aws_access_key_id = %s\\naws_secret_access_key = %s\", want: []string{\"found\"}},\n", g.KeyID("AKIA"), g.Secret())
			case 4:
				fmt.Fprintf(&b, "\t\t{name: \"session token\", input: \"sessionToken: %s\", want: nil},\n", rnd(60))
			case 5:
				fmt.Fprintf(&b, "\t\t{name: \"invalid pattern\", input: invalidPattern, want: nil}, // %s\n", rnd(20))
			}
		}
		b.WriteString("\t}\n\tfor _, test := range tests {\n\t\tt.Run(test.name, func(t *testing.T) {\n\t\t\tgot := d.FromData(context.Background(), false, []byte(test.input))\n" +
			"\t\t\tif diff := cmp.Diff(test.want, got); diff != \"\" {\n\t\t\t\tt.Errorf(\"mismatch (-want +got):\\n%s\", diff)\n\t\t\t}\n\t\t})\n\t}\n}\n")
		files = append(files, corpusFile{fmt.Sprintf("pkg/detectors/%s%d/%s_test.go", svc, f, svc), b.Bytes()})
	}
	return files
}

// BenchmarkPrefilter runs the prefilter alone (the first pass over every
// byte) over each corpus of BenchmarkCorpus, with a callback that only
// counts: the AVX2 kernel where the machine has one ("simd") and the pure-Go
// loop ("purego").
func BenchmarkPrefilter(b *testing.B) {
	corpora := []struct {
		name  string
		files func(b *testing.B) []corpusFile
	}{
		{"go-source", func(b *testing.B) []corpusFile { return []corpusFile{{"go.txt", ordinaryText(b)}} }},
		{"service-models", func(b *testing.B) []corpusFile { return loadCorpus(b, "KEYSCAN_BENCH_MODELS", serviceModels, ".json") }},
		{"detector-tests", func(b *testing.B) []corpusFile {
			return loadCorpus(b, "KEYSCAN_BENCH_DETECTORS", detectorTests, "_test.go")
		}},
		{"worst-near-misses", func(b *testing.B) []corpusFile { return []corpusFile{{"near.txt", nearMisses()}} }},
	}
	for _, c := range corpora {
		for _, path := range []struct {
			name string
			simd bool
		}{{"simd", true}, {"purego", false}} {
			b.Run(c.name+"/"+path.name, func(b *testing.B) {
				files := c.files(b)
				scan := scanner.PrefilterCounter(path.simd)
				n := 0
				for _, f := range files {
					n += len(f.data)
				}
				b.SetBytes(int64(n))
				cpu := cpuTime()
				for b.Loop() {
					for _, f := range files {
						scan(f.data)
					}
				}
				reportCPU(b, cpu, n)
			})
		}
	}
}

// BenchmarkCorpus scans each corpus file by file and reports MB/s:
// ordinary Go source, service-model JSON (KEYSCAN_BENCH_MODELS: a botocore
// checkout), secret-scanner tests (KEYSCAN_BENCH_DETECTORS: a trufflehog
// checkout), and the slowest text known. With KEYSCAN_BENCH_CLI set, every
// benchmark that scans through benchScan or benchFiles scans as keyscan's
// commands do (the default max_findings_per_file and check budget).
func BenchmarkCorpus(b *testing.B) {
	b.Run("go-source", func(b *testing.B) { benchScan(b, ordinaryText(b)) })
	b.Run("service-models", func(b *testing.B) {
		benchFiles(b, loadCorpus(b, "KEYSCAN_BENCH_MODELS", serviceModels, ".json"))
	})
	b.Run("detector-tests", func(b *testing.B) {
		benchFiles(b, loadCorpus(b, "KEYSCAN_BENCH_DETECTORS", detectorTests, "_test.go"))
	})
	// C, C++, JavaScript and Python (KEYSCAN_BENCH_CSOURCE: a folder of
	// them), the languages whose 0x lists are read as embedded files
	// (bytearray.go): most such files hold a 0x somewhere.
	b.Run("c-source", func(b *testing.B) {
		if os.Getenv("KEYSCAN_BENCH_CSOURCE") == "" {
			b.Skip("KEYSCAN_BENCH_CSOURCE names no folder of C, JS and Python sources")
		}
		benchFiles(b, loadCorpus(b, "KEYSCAN_BENCH_CSOURCE", nil, ".c", ".h", ".js", ".py"))
	})
	// The slowest text known: near misses, a keyword or a credential shape
	// on every line (BenchmarkSlowest searches for slower ones).
	b.Run("worst-near-misses", func(b *testing.B) { benchScan(b, nearMisses()) })
	// Text where every line is a finding (see denseKeys): the cost is per
	// finding, not per byte.
	for _, shape := range denseShapes {
		b.Run("dense-"+shape, func(b *testing.B) { benchScan(b, denseKeys(shape, 1<<20)) })
	}
}

// denseShapes are the layouts of denseKeys.
var denseShapes = []string{"key-ids", "key-ids-glued", "key-id-secret", "key-pairs", "test-key-pairs"}

// denseKeys is about size bytes of nothing but distinct fake credentials,
// every one a finding (/work/notes/qa7.md MEDIUM-7): key IDs one per line
// ("key-ids"), glued by commas on one line ("key-ids-glued"), a key ID and
// its secret on each line ("key-id-secret"), or credentials-file profiles
// ("key-pairs"), or the same with key IDs of TestAccount, which are not
// reported ("test-key-pairs").
func denseKeys(shape string, size int) []byte {
	g := fakekey.New(12345)
	var buf bytes.Buffer
	for i := 0; buf.Len() < size; i++ {
		switch shape {
		case "key-ids":
			buf.WriteString(g.KeyID("AKIA") + "\n")
		case "key-ids-glued":
			buf.WriteString(g.KeyID("AKIA") + ",")
		case "key-id-secret":
			buf.WriteString(g.KeyID("AKIA") + " " + g.Secret() + "\n")
		case "key-pairs":
			fmt.Fprintf(&buf, "[p%d]\naws_access_key_id = %s\naws_secret_access_key = %s\n", i, g.KeyID("AKIA"), g.Secret())
		case "test-key-pairs":
			fmt.Fprintf(&buf, "[p%d]\naws_access_key_id = %s\naws_secret_access_key = %s\n", i, g.KeyIDOf("AKIA", 0), g.Secret())
		}
	}
	return buf.Bytes()
}

// BenchmarkLongRewrites: files that are one long escaped run or thousands
// of split-head chains (the hostile inputs of /work/notes/qa3.md MEDIUM-4).
// B/op is the figure to watch: the rewrites are scanned in bounded pieces,
// so it grows with the file by a few bytes per byte, not ~45.
func BenchmarkLongRewrites(b *testing.B) {
	const n = 2 << 20
	for _, c := range []struct{ name, head, unit string }{
		{"concat", "const k = ", `"AK"+`},
		{"concat-lines", "const k = ", "\"AKIA\" +\n"},
		{"hex-x", "k = \"", `\x41`},
		{"css", "k = \"", `\41 `},
		{"octal", "k = \"", `\101`},
		{"html", "k = \"", `&#65;`},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchScan(b, []byte(c.head+strings.Repeat(c.unit, n/len(c.unit))))
		})
	}
}

// BenchmarkHostileLines: the inputs of /work/notes/qa5.md that once cost
// seconds per 100 KB or ten times their size in memory: a secret beside
// signs of other services on every line, the same on one long line, a
// keyword before hundreds of backslashes on every line, a session token's
// prefix repeated, chains of escaped key-ID heads, and stretches of & after
// keywords. B/op and MB/s are the figures to watch.
func BenchmarkHostileLines(b *testing.B) {
	g := fakekey.New(17)
	var secrets []string
	for range 30 {
		secrets = append(secrets, g.Secret())
	}
	tiles := func(after string) []byte {
		var buf bytes.Buffer
		for i := 0; buf.Len() < 1<<20; i++ {
			buf.WriteString("aws_secret_access_key=" + secrets[i%len(secrets)] + after)
		}
		return buf.Bytes()
	}
	tile := func(sep string) []byte { return tiles(" GOOG endpoint" + sep) }
	backslashes := bytes.Repeat([]byte("secret"+strings.Repeat(`\`, 590)+"\n"), (4<<20)/597)
	// A session token's prefix repeated: every copy is an anchor inside
	// one run (it once read the run to its end from each: 27 s a MiB).
	prefixes := bytes.Repeat([]byte("IQoJb3JpZ2luX2Vj"), (1<<20)/16)
	// The same after a '/', which starts a run at every copy (8.6 s for
	// 272 KB until the read of a token's run was bounded).
	slashPrefixes := bytes.Repeat([]byte("/IQoJb3JpZ2luX2Vj"), (1<<20)/17)
	// Chains of escaped key-ID heads after a keyword, each broken before
	// its run is long enough (BenchmarkSlowest's find: every run was read
	// three times, and again by the second pass; /work/notes/escapes.md).
	heads := bytes.Repeat([]byte("credentials.NewStaticCredentials(\n=Secreta"+strings.Repeat(`\u0041\u004b\u0049\u0t`, 20)+
		`\u0041mazonaws.com `+strings.Repeat("&", 60)+"\n"), (1<<20)/562)
	// Stretches of & after keywords (escapeAt made four strings at every &).
	ampersands := bytes.Repeat([]byte("=Secretamazonaws.com "+strings.Repeat("&", 120)+"\npassword="+strings.Repeat("&", 400)+"\n"), (1<<20)/552)
	// gzip in base64 cut short, repeated (qa10 LOW-3): each run is an
	// anchor, decoded and inflated until its stream breaks off.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("hello world "), 3))
	zw.Close()
	cut := base64.StdEncoding.EncodeToString(gz.Bytes())
	gzipCut := bytes.Repeat([]byte(cut[:len(cut)-8]+" "), (1<<20)/(len(cut)-7))
	// A gzip header in base64 and a few zero bytes, a line each.
	gzipHeads := bytes.Repeat([]byte("H4sIAAAAAAAAA/"+strings.Repeat("A", 20)+"\n"), (1<<20)/35)
	// BenchmarkSlowest's finds (perf16.md), each a sign and an endpoint
	// setting beside every secret: a name holding endpoint on a line with a
	// brace (an unanchored expression read the line from every byte),
	// "name:" in the windows of one long line (a case-folding one read each
	// window from every byte), an endpoint's host on every line.
	braces := tiles(" GOOG endpoint {} s3_endpoint" + strings.Repeat("nt", 100) + ": x\n")
	names := tiles(" GOOG endpoint - name: x ")
	hosts := tiles(" s3_endpoint: http://" + strings.Repeat("a", 60) + ".local/x\n")
	for _, c := range []struct {
		name string
		data []byte
	}{{"signs-lines", tile("\n")}, {"signs-one-line", tile(" ")}, {"endpoint-braces", braces}, {"names-one-line", names},
		{"endpoint-hosts", hosts}, {"keyword-backslashes", backslashes}, {"token-prefixes", prefixes},
		{"token-prefixes-slash", slashPrefixes}, {"escaped-heads", heads}, {"keyword-ampersands", ampersands},
		{"gzip-base64-cut", gzipCut}, {"gzip-base64-heads", gzipHeads}} {
		b.Run(c.name, func(b *testing.B) { benchScan(b, c.data) })
	}
	// The worst of them tiled to 16 MiB and scanned as the commands scan
	// a file (max_findings_per_file and the check budget): what bounds a
	// large file's time whatever it holds.
	for _, c := range []struct {
		name string
		data []byte
	}{{"signs-lines", tile("\n")}, {"signs-one-line", tile(" ")}, {"endpoint-braces", braces}, {"names-one-line", names},
		{"endpoint-hosts", hosts}, {"escaped-heads", heads}, {"keyword-ampersands", ampersands}} {
		b.Run("16MiB-"+c.name, func(b *testing.B) { benchScanCLI(b, tiled(c.data, 16<<20)) })
	}
}
