package fix

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHelmTemplateReads checks the values paths read out of template
// actions: the dot of with, range and define, variables, index by literals
// and by a variable, and paths handed to a named template.
func TestHelmTemplateReads(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		want []string // path, then "dyn" or the guard after a slash
	}{
		{`{{ .Values.a.b }} {{ $.Values.c }}`, []string{"a.b", "c"}},
		{`{{ index .Values "a" "b-c" }} {{ index .Values.a $k }}`, []string{"a.b-c", "a dyn"}},
		{"{{ with .Values.a }}{{ .b }}{{ else }}{{ .Values.c }}{{ end }}{{ .Values.d }}", []string{"a", "a.b /a", "c", "d"}},
		{"{{ range .Values.list }}{{ .x }}{{ $.Values.e }}{{ end }}", []string{"list", "e"}},
		{"{{ $x := .Values.a }}{{ $x.b }}{{ $y := index .Values \"c\" \"d\" }}{{ $y.e }}", []string{"a", "a.b", "c.d", "c.d.e"}},
		{`{{ include "x" .Values.a }}{{ include "y" . }}{{ tpl .Values.t . }}`, []string{"a dyn", "t dyn"}},
		{"{{- define \"h\" -}}{{ .Values.h }}{{- end -}}{{/* .Values.no */}}", []string{"h"}},
	} {
		var got []string
		for _, r := range HelmTemplateReads([]byte(c.tmpl)) {
			s := r.Path
			if r.Dynamic {
				s += " dyn"
			}
			if r.Guard != "" {
				s += " /" + r.Guard
			}
			got = append(got, s)
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s: (-want +got)\n%s", c.tmpl, d)
		}
	}
	gone := HelmGone([]byte("region: x\n"), "aws.credentials.id")
	if fmt.Sprint(gone) != "[aws aws.credentials]" {
		t.Errorf("HelmGone: %v", gone)
	}
}

// TestStorageEndpointFileNames checks fixqa14's leftover: a setting that
// names a file (env_file: s3.env) is no S3-compatible service's address,
// while a host with a storage word still is.
func TestStorageEndpointFileNames(t *testing.T) {
	for _, c := range []struct {
		name, v string
		want    bool
	}{
		{"env_file", "s3.env", false},
		{"config", "minio.yaml", false},
		{"S3_CONFIG_PATH", "s3.conf.d", false},
		{"STORAGE_URL", "http://minio:9000", true},
		{"S3_HOST", "s3.internal.lan", true},
		{"env_file", "http://minio:9000", true},
		// qa16 HIGH-23: an IP literal with an S3-compatible service's port.
		{"MINIO", "http://127.0.0.1:9000", true},
		{"DATA_LAKE", "10.0.0.5:9000", true},
		{"LOCALSTACK", "http://192.168.1.20:4566", true},
		{"OBJECTS", "http://[fd00::5]:9000", true},
		{"API", "http://10.0.0.5:3000", false},
		{"IMAGE_TAG", "1.2.3", false},
		{"OBJECTS", "http://[zz::5]:9000", false},
		// qa31 F10: a Python entry point (module:function) is no host.
		{"s3sync", "s3sync.cli:main", false},
		{"minio-sync", "minio_sync.cli:run", false},
		{"S3_ENDPOINT", "s3.internal.lan:9000", true},
	} {
		if got := storageEndpoint(c.name, c.v); got != c.want {
			t.Errorf("storageEndpoint(%q, %q) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}

// TestPathStyle checks the values that ask for path-style addressing.
func TestPathStyle(t *testing.T) {
	for _, c := range []struct {
		name, v string
		want    bool
	}{
		{"AWS_USE_PATH_STYLE_ENDPOINT", "true", true},
		{"forcePathStyle", "True", true},
		{"S3_USE_PATH_STYLE", "1", true},
		{"s3.path-style-access", "${PATH_STYLE}", true},
		{"AWS_S3_ADDRESSING_STYLE", "'path'", true},
		{"AWS_S3_ADDRESSING_STYLE", "virtual", false},
		{"addressing_style", "auto", false},
		{"AWS_USE_PATH_STYLE_ENDPOINT", "false", false},
		{"FORCE_PATH_STYLE", "0", false},
	} {
		if got := pathStyle(c.name, c.v); got != c.want {
			t.Errorf("pathStyle(%q, %q) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}

// TestChartStorage checks a Chart.yaml's dependencies: MinIO by name or
// repository holds, unless the values switch its condition off.
func TestChartStorage(t *testing.T) {
	chart := []byte("apiVersion: v2\nname: app\ndependencies:\n  - name: store\n    repository: https://charts.min.io/\n    condition: store.enabled\n")
	if ChartStorage(chart, []byte("store:\n  enabled: true\n")) == "" {
		t.Error("a MinIO dependency switched on is not seen")
	}
	if ChartStorage(chart, nil) == "" {
		t.Error("a MinIO dependency whose condition the values do not set is not seen")
	}
	if d := ChartStorage(chart, []byte("store:\n  enabled: false\n")); d != "" {
		t.Errorf("a MinIO dependency switched off holds: %s", d)
	}
	if d := ChartStorage([]byte("dependencies:\n  - name: redis\n    repository: oci://registry-1.docker.io/bitnamicharts\n"), nil); d != "" {
		t.Errorf("a redis dependency holds: %s", d)
	}
}
