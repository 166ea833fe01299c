package archive

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestAr opens ar archives made by the real ar (GNU names, a long name in
// the "//" table, odd sizes padded) and .deb packages made by the real
// dpkg-deb, whose data.tar is opened in turn (qa8 MEDIUM-1: a .deb was
// passed as one binary file).
func TestAr(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	got, warns, st := walk(t, "lib.a", archivetest.Ar(t,
		archivetest.F("a_very_long_member_name.ini", creds), archivetest.F("odd.txt", []byte("odd")),
		archivetest.F("in.tgz", archivetest.Gzip(t, "", archivetest.Tar(t, archivetest.F("etc/app.ini", creds))))), DefaultLimits())
	want := map[string]string{
		"lib.a!a_very_long_member_name.ini": string(creds),
		"lib.a!odd.txt":                     "odd",
		"lib.a!in.tgz!etc/app.ini":          string(creds),
	}
	if d := cmp.Diff(want, got); d != "" || len(warns) > 0 || st.Unscanned != 0 {
		t.Errorf("ar (-want +got):\n%s\nwarnings %q", d, warns)
	}
	for _, z := range []string{"gzip", "xz", "zstd"} {
		t.Run("deb "+z, func(t *testing.T) {
			deb := archivetest.Deb(t, z, archivetest.F("etc/app/credentials", creds))
			got, warns, st := walk(t, "app.deb", deb, DefaultLimits())
			var name string
			for n := range got {
				if bytes.HasSuffix([]byte(n), []byte("etc/app/credentials")) {
					name = n
				}
			}
			if name == "" || got[name] != string(creds) || len(warns) > 0 || st.Unscanned != 0 {
				t.Errorf("members %v, warnings %q", keys(got), warns)
			}
			if z == "xz" && name != "app.deb!data.tar.xz!./etc/app/credentials" {
				t.Errorf("member named %q", name)
			}
		})
	}
}

// TestArGoPadding is newuser MEDIUM-6: Go's toolchain pads an odd-sized
// member with a NUL, not '\n' (its .a and .o files: GOROOT's
// cmd/objdump/testdata/go116.o); the members after the pad are read, a
// compressed one decoded, and nothing is warned about. The archive is made
// by Go's own archiver, go tool pack.
func TestArGoPadding(t *testing.T) {
	creds := []byte("[default]\naws_access_key_id = X\n")
	a := archivetest.GoPack(t, archivetest.F("odd.txt", []byte("odd")), archivetest.F("__.PKGDEF", []byte("go object\n!\n")),
		archivetest.F("app.ini.gz", archivetest.Gzip(t, "", creds)), archivetest.F("last.txt", []byte("end")))
	if !bytes.Contains(a, []byte("odd\x00")) {
		t.Fatalf("go tool pack did not pad with a NUL: %q", a[:min(len(a), 200)])
	}
	got, warns, st := walk(t, "lib.a", a, DefaultLimits())
	want := map[string]string{"lib.a!odd.txt": "odd", "lib.a!__.PKGDEF": "go object\n!\n", "lib.a!app.ini.gz!app.ini": string(creds), "lib.a!last.txt": "end"}
	if d := cmp.Diff(want, got); d != "" || len(warns) > 0 || st.Unscanned != 0 {
		t.Errorf("go tool pack archive (-want +got):\n%s\nwarnings %q, %d unscanned", d, warns, st.Unscanned)
	}
}

// TestArBSDAndCorrupt: BSD ar's "#1/N" names (no BSD ar is installed: the
// bytes are written here as BSD ar lays them out), and a truncated or
// corrupt archive, which is a warning and a part not scanned.
func TestArBSDAndCorrupt(t *testing.T) {
	hdr := func(name string, size int) string {
		return fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10d`\n", name, "0", "0", "0", "100644", size)
	}
	long := "a_long_bsd_member_name.ini"
	bsd := "!<arch>\n" + hdr("__.SYMDEF SORTED", 4) + "\x00\x00\x00\x00" +
		hdr(fmt.Sprintf("#1/%d", len(long)+2), len(long)+2+5) + long + "\x00\x00" + "hello" + "\n" +
		hdr("short.txt", 2) + "hi"
	got, warns, _ := walk(t, "bsd.a", []byte(bsd), DefaultLimits())
	want := map[string]string{"bsd.a!" + long: "hello", "bsd.a!short.txt": "hi"}
	if d := cmp.Diff(want, got); d != "" || len(warns) > 0 {
		t.Errorf("BSD ar (-want +got):\n%s\nwarnings %q", d, warns)
	}
	for _, tt := range []struct {
		name, data, warn string
	}{
		{"truncated", "!<arch>\n" + hdr("a.txt", 100) + "only this", "x.a!a.txt: member of 100 bytes, 9 left"},
		{"bad header", "!<arch>\n" + hdr("a.txt", 2) + "hi" + "garbage that is no header at all, long enough to be one......", "x.a: corrupt ar archive: no member header at offset 70"},
		{"bad size", "!<arch>\n" + fmt.Sprintf("%-16s%-12s%-6s%-6s%-8s%-10s`\n", "a", "0", "0", "0", "0", "-5"), "x.a: corrupt ar archive: member size"},
		{"long name out of table", "!<arch>\n" + hdr("/99", 1) + "x", "x.a: corrupt ar archive: long name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, warns, st := walk(t, "x.a", []byte(tt.data), DefaultLimits())
			wantWarn(t, warns, tt.warn)
			if st.Unscanned == 0 {
				t.Errorf("not counted: %q", warns)
			}
		})
	}
}
