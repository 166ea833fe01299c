package archive

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestBrotli: a Brotli stream has no magic number, so it is opened when
// its name ends in ".br" and it decodes; anything else so named is not an
// archive, and a Brotli stream under another name is not opened (qa8
// MEDIUM-1).
func TestBrotli(t *testing.T) {
	body := []byte("aws_access_key_id = X\n")
	plainTar := archivetest.Tar(t, archivetest.F("etc/app.ini", body))
	for _, tt := range []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"app.env.br", archivetest.Brotli(t, 5, body), map[string]string{"app.env.br!app.env": string(body)}},
		{"APP.JS.BR", archivetest.Brotli(t, 11, bytes.Repeat(body, 1000)), map[string]string{"APP.JS.BR!APP.JS": string(bytes.Repeat(body, 1000))}},
		{"empty.br", archivetest.Brotli(t, 0, nil), map[string]string{"empty.br!empty": ""}},
		{"site.tar.br", archivetest.Brotli(t, 9, plainTar), map[string]string{"site.tar.br!etc/app.ini": string(body)}},
		{"in.zip", archivetest.Zip(t, archivetest.F("dist/app.js.br", archivetest.Brotli(t, 4, body))),
			map[string]string{"in.zip!dist/app.js.br!app.js": string(body)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if f := DetectName(tt.name, tt.data); f == None {
				t.Fatalf("DetectName(%q) = None", tt.name)
			}
			got, warns, _ := walk(t, tt.name, tt.data, DefaultLimits())
			if len(warns) > 0 {
				t.Errorf("warnings: %q", warns)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})
	}
	good := archivetest.Brotli(t, 5, bytes.Repeat(body, 100))
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"app.env.br", body},                    // text merely named .br
		{"app.env.br", good[:len(good)/2]},      // truncated
		{"app.env.br", append(good[:10:10], 0)}, // corrupt
		{"app.env", good},                       // no name to go by
		{"app.env.brr", good},
	} {
		if f := DetectName(tt.name, tt.data); f != None {
			t.Errorf("DetectName(%q, %.20q) = %v, want none", tt.name, tt.data, f)
		}
	}
}

// TestBrotliBomb: a Brotli stream is held to the archive byte budget.
func TestBrotliBomb(t *testing.T) {
	bomb := archivetest.Brotli(t, 5, make([]byte, 8<<20))
	lim := DefaultLimits()
	lim.MaxBytes = 1 << 20
	_, warns, st := walk(t, "zeros.br", bomb, lim)
	if st.Bytes > lim.MaxBytes || st.Unscanned == 0 {
		t.Errorf("read %d bytes, %d parts unscanned (%q); want at most %d bytes and a warning", st.Bytes, st.Unscanned, warns, lim.MaxBytes)
	}
}
