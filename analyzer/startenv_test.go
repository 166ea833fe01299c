package analyzer

import (
	"strings"
	"testing"
)

// TestEnvFileSettingMake: make's assignment operators, with or without
// blanks, set the variable (qa25 M4); the value is what follows the
// operator, so an AWS region so set is not taken for a foreign one.
func TestEnvFileSettingMake(t *testing.T) {
	for src, want := range map[string]string{
		"export AWS_ENDPOINT_URL?=http://localhost:4566\n": "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL:=http://localhost:4566\n":        "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL::=http://localhost:4566\n":       "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL:::=http://localhost:4566\n":      "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL+=http://localhost:4566\n":        "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL != echo http://minio:9000\n":     "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_ENDPOINT_URL ?= http://localhost:4566\n":      "AWS_ENDPOINT_URL, set in Makefile:1",
		"AWS_REGION?=us-east-1\n":                          "",
		"AWS_REGION ?= us-east-1\n":                        "",
		"AWS_REGION?=auto\n":                               "AWS_REGION, set in Makefile:1",
		"AWS_ENDPOINT_URL?=https://s3.amazonaws.com\n":     "",
		"AWS_ENDPOINT_URL?=\n":                             "",
	} {
		got := envFileSetting([]byte(src), "Makefile", "a makefile", nil)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("envFileSetting(%q) = %q, want %q", src, got, want)
		}
	}
}

// FuzzEnvFileSetting: any file reads without a panic, and a setting found
// names the file.
func FuzzEnvFileSetting(f *testing.F) {
	for _, s := range []string{
		"export AWS_ENDPOINT_URL?=http://localhost:4566\n", "AWS_ENDPOINT_URL:::=x", "AWS_PROFILE!=", "ENV AWS_ENDPOINT_URL http://m:9000",
		"- name: AWS_ENDPOINT_URL\n  value: http://m", "endpoints { s3 = \"http://l:4566\" }", "AWS_REGION+=auto", "AWS_",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := envFileSetting(b, "f", "a file", nil); got != "" && !strings.Contains(got, " f") {
			t.Errorf("%q: %q does not name the file", b, got)
		}
	})
}
