package fix

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// findEndpointBoth returns findEndpoint's answer over lines first..last
// with the keyword prefilter (lineWords) and with every line taken as
// holding every word: what the expressions alone answer.
func findEndpointBoth(data []byte, syn Syntax, first, last int) (fast, slow string) {
	fast = newEditor(data, syn).findEndpoint(first, last)
	e := newEditor(data, syn)
	e.words = make([]uint16, len(e.lines)+1)
	for i := range e.words {
		e.words[i] = ^uint16(0)
	}
	return fast, e.findEndpoint(first, last)
}

// endpointSyntaxes are the syntaxes findEndpoint reads differently.
var endpointSyntaxes = []Syntax{Env, YAML, HCL, INI, Dockerfile, Properties, JSON, Unknown}

// endpointSeeds hold each form findEndpoint finds, its near misses, and
// the letters that fold to ASCII ones (ſ, the Kelvin sign, İ).
var endpointSeeds = []string{
	"AWS_ENDPOINT_URL=http://minio:9000\n",
	"env:\n  - name: AWS_ENDPOINT_URL\n    value: http://minio:9000\n",
	"aws --endpoint-url http://localhost:4566 s3 ls\n",
	"aws configure set default.s3.endpoint_url http://minio:9000\n",
	"mc alias set local http://minio:9000 key secret\n",
	"s3cmd --host=minio.local:9000 --host-bucket=minio.local:9000 ls\n",
	"command: [\"--endpoint-url\", \"http://minio:9000\"]\n",
	"command:\n  - --s3-endpoint\n  - http://minio:9000\n",
	"loki -s3.endpoint minio.local:9000\n",
	"[default]\nhost_base = minio.example.net\n",
	"provider \"aws\" {\n  endpoints {\n    s3 = \"http://localhost:4566\"\n  }\n}\n",
	"provider \"aws\" {\n  s3_use_path_style = true\n  skip_credentials_validation = true\n}\n",
	"AWS_S3_FORCE_PATH_STYLE=true\nAWS_S3_ADDRESSING_STYLE=path\n",
	"env:\n  - name: FORCE_PATH_STYLE\n    value: \"true\"\n",
	"ENV S3_PATH_STYLE true\nENV S3_HOST minio.local\nENV AWS_EC2_METADATA_DISABLED true\n",
	"STORAGE_URL=http://minio:9000\nBLOB: http://localstack:4566\n",
	"env:\n  - name: BLOB_STORE\n    value: http://localstack:4566\n",
	"STORAGE_PROVIDER=minio\nUSE_MINIO=true\nUPLOAD_DRIVER=do-spaces\nS3_TYPE=other\n",
	"AWS_REGION=auto\nregion: nyc3\n",
	"AWS_EC2_METADATA_DISABLED=${OFF}\n- name: AWS_EC2_METADATA_DISABLED\n  value: \"true\"\n",
	"GCS_ENDPOINT=https://storage.googleapis.com\n",
	"HO\u017fT_BA\u017fE = minio.example.net\nMINIO_BUC\u212aET=http://files.example:9000\nREG\u0130ON=auto\n",
	"STORAGE_URL=http://m\u0130nio:9000\nAW\u017f_EC2_METADATA_DI\u017fABLED=true\npath_\u017ftyle=true\n",
	"# the endpoint is printed\nfor type in a b; do echo $type; done\nAPI_URL=http://localhost:3000\n",
	"endpoint\n=\nhttp://minio:9000\nstorage\n:\nhttp://x.y\n",
	// s3cmd's flags count on a line that runs s3cmd as strings.ToLower
	// spells it: not ſ3cmd, which the keyword scan takes for s3cmd.
	"--host 2\n\u017f3cmd --host minio.local:9000\n",
}

// TestFindEndpointPrefilter: findEndpoint gives the same answer with the
// keyword prefilter as without, over the seeds and the project's test
// files, read as each syntax, whole and in windows of lines.
func TestFindEndpointPrefilter(t *testing.T) {
	texts := append([]string{}, endpointSeeds...)
	for _, root := range []string{"testdata", "../testdata", "../cmd/keyscan/testdata"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
				texts = append(texts, string(b))
			}
			return nil
		})
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	for _, s := range texts {
		checkPrefilter(t, []byte(s))
	}
}

func checkPrefilter(t *testing.T, data []byte) {
	t.Helper()
	n := len(newEditor(data, Env).lines)
	for _, syn := range endpointSyntaxes {
		ranges := [][2]int{{0, n - 1}}
		for l := 0; l < n && l < 200; l++ {
			ranges = append(ranges, [2]int{l, l}, [2]int{l, min(l+3, n-1)})
		}
		for _, r := range ranges {
			if fast, slow := findEndpointBoth(data, syn, r[0], r[1]); fast != slow {
				t.Fatalf("%s lines %d..%d of %q: with the prefilter %q, without %q", syn, r[0], r[1], data, fast, slow)
			}
		}
	}
}

// FuzzFindEndpointPrefilter: the same for any text.
func FuzzFindEndpointPrefilter(f *testing.F) {
	for _, s := range endpointSeeds {
		f.Add(s)
	}
	f.Add(strings.Join(endpointSeeds, ""))
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		checkPrefilter(t, []byte(s))
	})
}
