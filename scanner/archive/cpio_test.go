package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestCpio is qa16 HIGH-1: cpio archives (every initramfs, find | cpio -o)
// were neither opened nor counted, so a gzip'd credentials file inside was
// missed with --strict 0. Every header form is read, a symlink is its
// target, an initramfs of an uncompressed archive then a gzip'd one is
// read whole, and what cannot be read is counted.
func TestCpio(t *testing.T) {
	env := []byte("aws_secret_access_key = a fake value\n")
	files := []archivetest.File{archivetest.F("etc/app.env", env), archivetest.F("etc/app.env.gz", archivetest.Gzip(t, "app.env", env)),
		archivetest.F("odd-name.txt", []byte("x"))}
	want := map[string]string{"etc/app.env": string(env), "etc/app.env.gz!app.env": string(env), "odd-name.txt": "x", "link": "etc/app.env"}
	for _, format := range []string{"newc", "crc", "odc", "bin"} {
		data := archivetest.Cpio(t, format, files...)
		if f := Detect(data); f != Cpio {
			t.Fatalf("%s: Detect = %v", format, f)
		}
		got, warns, _ := walk(t, "initrd.cpio", data, DefaultLimits())
		if len(warns) > 0 {
			t.Errorf("%s: warnings %q", format, warns)
		}
		for p, v := range want {
			if got["initrd.cpio!"+p] != v {
				t.Errorf("%s: member %s = %q, want %q (got %q)", format, p, got["initrd.cpio!"+p], v, keys(got))
			}
		}
	}

	// An initramfs: an uncompressed archive (microcode), then a gzip'd one.
	early := archivetest.Cpio(t, "newc", archivetest.F("kernel/x86/microcode/GenuineIntel.bin", []byte("\x00\x01microcode")))
	main := archivetest.Gzip(t, "", archivetest.Cpio(t, "newc", files...))
	img := append(append(bytes.Clone(early), make([]byte, 512)...), main...)
	got, warns, _ := walk(t, "initrd.img", img, DefaultLimits())
	second := "initrd.img@" + strconv.Itoa(len(early)+512)
	if len(warns) > 0 || got[second+"!initrd!etc/app.env"] != string(env) || got["initrd.img!kernel/x86/microcode/GenuineIntel.bin"] == "" {
		t.Errorf("initramfs: members %q, warnings %q", keys(got), warns)
	}

	// Cut short, and junk after the trailer: counted.
	data := archivetest.Cpio(t, "newc", files...)
	for _, c := range []struct {
		name string
		data []byte
	}{{"cut.cpio", data[:len(data)/2]}, {"junk.cpio", append(bytes.Clone(data), "junk after the trailer"...)}} {
		if _, warns, st := walk(t, c.name, c.data, DefaultLimits()); st.Unscanned == 0 {
			t.Errorf("%s: nothing counted (warnings %q)", c.name, warns)
		}
	}
	if Detect([]byte("070701 is a number in a text file\n")) != None {
		t.Error("text starting with 070701 taken for cpio")
	}
}

// asarOf builds an Electron asar archive as @electron/asar writes it (no
// tool here: the layout of its disk.js): a pickle of the header's size,
// the header pickle (payload size, string length, JSON), the files back to
// back. short leaves out the payload size (a writer that does).
func asarOf(t *testing.T, short bool, dir map[string]any, data []byte) []byte {
	t.Helper()
	j, err := json.Marshal(map[string]any{"files": dir})
	if err != nil {
		t.Fatal(err)
	}
	return asarBytes(j, short, data)
}

// asarBytes lays out an asar archive of the JSON directory j and the
// files' data (see asarOf).
func asarBytes(j []byte, short bool, data []byte) []byte {
	str := binary.LittleEndian.AppendUint32(nil, uint32(len(j)))
	str = append(append(str, j...), make([]byte, (4-len(j)%4)%4)...)
	hdr := str
	if !short {
		hdr = append(binary.LittleEndian.AppendUint32(nil, uint32(len(str))), str...)
	}
	out := binary.LittleEndian.AppendUint32(nil, 4)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	return append(append(out, hdr...), data...)
}

// TestAsar is qa16 HIGH-1's asar half: an Electron app.asar's files are
// members named by their path, nested folders included; an unpacked file
// (beside the archive) is not looked for inside; an entry whose offset
// lies outside is counted.
func TestAsar(t *testing.T) {
	env := []byte("aws_secret_access_key = a fake value\n")
	gz := archivetest.Gzip(t, "config", env)
	body := append([]byte("console.log(1)\n"), gz...)
	dir := map[string]any{
		"main.js":     map[string]any{"size": 15, "offset": "0"},
		"resources":   map[string]any{"files": map[string]any{"config.gz": map[string]any{"size": len(gz), "offset": "15"}}},
		"native.node": map[string]any{"size": 100, "unpacked": true},
		"link.js":     map[string]any{"link": "main.js"},
	}
	for _, short := range []bool{false, true} {
		a := asarOf(t, short, dir, body)
		if f := Detect(a); f != Asar {
			t.Fatalf("short %v: Detect = %v", short, f)
		}
		got, warns, _ := walk(t, "app.asar", a, DefaultLimits())
		if len(warns) > 0 || got["app.asar!main.js"] != "console.log(1)\n" || got["app.asar!resources/config.gz!config"] != string(env) || got["app.asar!link.js"] != "main.js" {
			t.Errorf("short %v: members %q, warnings %q", short, keys(got), warns)
		}
	}
	dir["bad.js"] = map[string]any{"size": 10, "offset": "99999"}
	if _, warns, st := walk(t, "app.asar", asarOf(t, false, dir, body), DefaultLimits()); st.Unscanned != 1 {
		t.Errorf("an offset outside: %d counted, warnings %q", st.Unscanned, warns)
	}
}

// FuzzCpio: any bytes after a cpio magic are read without a panic, a hang
// or a member larger than the input.
func FuzzCpio(f *testing.F) {
	files := []archivetest.File{archivetest.F("etc/app.env", []byte("a = 1\n")), archivetest.F("b", []byte("bb"))}
	for _, format := range []string{"newc", "crc", "odc", "bin"} {
		f.Add(archivetest.Cpio(f, format, files...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWalkBounded(t, "f.cpio", data)
	})
}

// FuzzAsar: the same for an asar archive's pickle sizes and JSON directory.
func FuzzAsar(f *testing.F) {
	dir := map[string]any{"a.js": map[string]any{"size": 3, "offset": "0"}, "d": map[string]any{"files": map[string]any{"b": map[string]any{"size": 2, "offset": "3"}}}}
	for _, short := range []bool{false, true} {
		j, _ := json.Marshal(map[string]any{"files": dir})
		f.Add(asarBytes(j, short, []byte("abcde")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWalkBounded(t, "app.asar", data)
	})
}

// fuzzWalkBounded walks data and fails on a member larger than it.
func fuzzWalkBounded(t *testing.T, name string, data []byte) {
	lim := DefaultLimits()
	lim.MaxDepth = 1
	Walk(context.Background(), name, data, lim, func(m Member) {
		if !m.Raw && len(m.Data) > len(data) {
			t.Fatalf("member %s of %d bytes from %d", m.Name, len(m.Data), len(data))
		}
	})
}
