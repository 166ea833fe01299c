package content

import (
	"bytes"
	"context"
	"os/exec"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

// TestLzipAndCompressFiles is qa14 LOW-4: a credentials file compressed
// by the real lzip and compress (ncompress) is opened and both keys found
// in its member, not left as a format not opened.
func TestLzipAndCompressFiles(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(414)
	for _, c := range []struct {
		name, member string
		cmd          []string
	}{
		{"credentials.lz", "credentials.lz!credentials", []string{"lzip", "-c"}},
		{"credentials.Z", "credentials.Z!credentials", []string{"compress", "-c", "-f"}},
	} {
		if _, err := exec.LookPath(c.cmd[0]); err != nil {
			t.Logf("%s: no %s here (.ci/run installs it): not checked", c.name, c.cmd[0])
			continue
		}
		cmd := exec.Command(c.cmd[0], c.cmd[1:]...)
		cmd.Stdin = bytes.NewReader(text)
		data, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", c.cmd[0], err)
		}
		r := Scan(context.Background(), sc, c.name, data, DefaultOptions())
		kinds := map[rules.Kind]bool{}
		for _, f := range r.Findings {
			if f.File == c.member {
				kinds[f.Kind] = true
			}
		}
		if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned != 0 {
			t.Errorf("%s: kinds found in %s %v, %d parts not scanned, warnings %v; findings %v", c.name, c.member, kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
		}
	}
}

// TestLzipLzmaCutShort (arch36): a credentials file compressed by the real
// lzip or xz --format=lzma and cut short past its first lines gives the
// key pair of those lines, and the file is named as not scanned whole.
// The decoded head was dropped, so the pair was missed with exit 0.
func TestLzipLzmaCutShort(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(3603)
	text = append(text, bytes.Repeat([]byte("# padding line of the credentials file, 0123456789\n"), 4000)...)
	for _, c := range []struct {
		name, member string
		cmd          []string
	}{
		{"credentials.lz", "credentials.lz!credentials", []string{"lzip", "-c"}},
		{"credentials.lzma", "credentials.lzma!credentials", []string{"xz", "--format=lzma", "-c"}},
	} {
		if _, err := exec.LookPath(c.cmd[0]); err != nil {
			t.Logf("%s: no %s here (.ci/run installs it): not checked", c.name, c.cmd[0])
			continue
		}
		cmd := exec.Command(c.cmd[0], c.cmd[1:]...)
		cmd.Stdin = bytes.NewReader(text)
		data, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", c.cmd[0], err)
		}
		r := Scan(context.Background(), sc, c.name, data[:len(data)/2], DefaultOptions())
		kinds := map[rules.Kind]bool{}
		for _, f := range r.Findings {
			if f.File == c.member {
				kinds[f.Kind] = true
			}
		}
		if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned == 0 {
			t.Errorf("%s cut short: kinds found in %s %v, %d parts not scanned, warnings %v; findings %v", c.name, c.member, kinds, r.Archive.Unscanned, r.Warnings, places(r.Findings))
		}
	}
}
