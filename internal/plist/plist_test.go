package plist

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const agent = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>com.example.uploader</string>
  <key>RunAtLoad</key>
  <true/>
  <key>EnvironmentVariables</key>
  <dict>
    <key>AWS_ENDPOINT_URL</key>
    <!-- the bucket moved to MinIO -->
    <string>http://minio.local:9000/?a=1&amp;b=2</string>
  </dict>
</dict>
</plist>
`

func TestPairs(t *testing.T) {
	got := Pairs([]byte(agent))
	want := []Pair{
		{Key: "Label", Value: "com.example.uploader"},
		{Key: "AWS_ENDPOINT_URL", Value: "http://minio.local:9000/?a=1&b=2"},
	}
	for i := range got {
		got[i].Offset = 0
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Pairs (-want +got):\n%s", d)
	}
	if s := string(Settings([]byte(agent))); !strings.Contains(s, "AWS_ENDPOINT_URL = http://minio.local:9000/?a=1&b=2\n") {
		t.Errorf("Settings = %q", s)
	}
	if !Binary([]byte("bplist00\x00")) || Binary([]byte(agent)) {
		t.Error("Binary tells the two formats apart wrongly")
	}
	wide := []byte("bplist00\x6f\x10")
	for _, c := range "S3_Endpoint\u00e9" {
		wide = append(wide, 0, byte(c))
	}
	for _, tc := range []struct {
		data []byte
		want bool
	}{
		{[]byte("bplist00\x5fAWS_ENDPOINT_URL\x5f"), true},
		{wide, true},
		{[]byte("bplist00\x55Label\x5fcom.example.app"), false},
	} {
		if got := BinaryNames(tc.data, "endpoint"); got != tc.want {
			t.Errorf("BinaryNames(%q, endpoint) = %v, want %v", tc.data, got, tc.want)
		}
	}
}

// TestPairsLinear: repeated keys without strings, unclosed comments and
// keys without ends are read in time linear in the input (a quadratic
// reading of 4 MiB would not end within the test's timeout).
func TestPairsLinear(t *testing.T) {
	for _, unit := range []string{"<key>a</key><!-- ", "<key>a</key>", "<key>", "<key>a</key><string>", "<key>a</key> <!-- x --> "} {
		data := bytes.Repeat([]byte(unit), (4<<20)/len(unit))
		Pairs(data)
	}
}

func FuzzPairs(f *testing.F) {
	f.Add([]byte(agent))
	f.Add([]byte("<key>a</key><!-- <key>b</key> --><string>v</string>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := -1
		for _, p := range Pairs(data) {
			if p.Offset <= last || p.Offset >= len(data) || !bytes.HasPrefix(data[p.Offset:], []byte("<key>")) {
				t.Fatalf("pair %+v out of order or not at a <key>", p)
			}
			last = p.Offset
		}
		Settings(data)
	})
}
