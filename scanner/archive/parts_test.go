package archive

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// squashOf makes a squashfs image (gzip) of the files with the real
// mksquashfs.
func squashOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return mksquashfs(t, root, "gzip")
}

// pad4k pads b with NULs to a multiple of 4 KiB, as firmware lays out its
// partitions.
func pad4k(b []byte) []byte {
	return append(bytes.Clone(b), make([]byte, (4096-len(b)%4096)%4096)...)
}

// TestArchivesOneAfterAnother (qa15 HIGH-5): every 7z archive or squashfs
// image after the first, where the first would be found, is opened too:
// firmware with A/B slots or a root filesystem and a data partition, a
// self-extractor with two 7z archives, an image before an appended zip.
// A later one is named after where it starts, so that the same path in
// two images gives two members.
func TestArchivesOneAfterAnother(t *testing.T) {
	const (
		a = "aws_secret_access_key = slot a\n"
		b = "aws_secret_access_key = slot b\n"
	)
	noise := make([]byte, 5<<20) // an image larger than the 4 MiB window
	rand.New(rand.NewSource(1)).Read(noise)
	imgA := squashOf(t, map[string]string{"app.env": a})
	imgB := squashOf(t, map[string]string{"app.env": b})
	big := squashOf(t, map[string]string{"app.env": a, "noise.bin": string(noise)})
	z7A := archivetest.SevenZip(t, nil, archivetest.F("app.env", []byte(a)))
	z7B := archivetest.SevenZip(t, nil, archivetest.F("app.env", []byte(b)))
	zipB := archivetest.Zip(t, archivetest.F("app.env", []byte(b)))
	stub := pad4k(append([]byte("\x7fELF\x00firmware header"), make([]byte, 100)...))
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, c := range []struct {
		name string
		data []byte
		want []string // the names of app.env members, in any order
	}{
		{"ab.bin", cat(stub, pad4k(imgA), imgB), []string{"ab.bin!app.env", "ab.bin@" + strconv.Itoa(4096+len(pad4k(imgA))) + "!app.env"}},
		{"at0.bin", cat(pad4k(imgA), imgB), []string{"at0.bin!app.env", "at0.bin@" + strconv.Itoa(len(pad4k(imgA))) + "!app.env"}},
		{"nopad.bin", cat(stub, imgA[:usedOf(imgA)], imgB), []string{"nopad.bin!app.env", "nopad.bin@" + strconv.Itoa(4096+usedOf(imgA)) + "!app.env"}},
		{"big.bin", cat(stub, pad4k(big), imgB), []string{"big.bin!app.env", "big.bin@" + strconv.Itoa(4096+len(pad4k(big))) + "!app.env"}},
		{"two7z.exe", cat(peStub(300), z7A, z7B), []string{"two7z.exe!app.env", "two7z.exe@" + strconv.Itoa(300+len(z7A)) + "!app.env"}},
		{"cat.7z", cat(z7A, z7B), []string{"cat.7z!app.env", "cat.7z@" + strconv.Itoa(len(z7A)) + "!app.env"}},
		{"sq7z.bin", cat(stub, pad4k(imgA), z7B), []string{"sq7z.bin!app.env", "sq7z.bin@" + strconv.Itoa(4096+len(pad4k(imgA))) + "!app.env"}},
		{"sqzip.bin", cat(stub, pad4k(imgA), zipB), []string{"sqzip.bin!app.env", "sqzip.bin@" + strconv.Itoa(4096+len(pad4k(imgA))) + "!app.env"}},
		// The first image more than 4 MiB into the file (an OpenWrt
		// sysupgrade's root filesystem after a 5 MB kernel), and one 6
		// MiB after the image before it: neither was opened nor counted.
		{"sysupgrade.bin", cat(stub, pad4k(noise), imgA), []string{"sysupgrade.bin!app.env"}},
		{"far7z.exe", cat(peStub(300), noise, z7A), []string{"far7z.exe!app.env"}},
		{"gap.bin", cat(stub, pad4k(imgA), pad4k(noise), imgB), []string{"gap.bin!app.env", "gap.bin@" + strconv.Itoa(4096+len(pad4k(imgA))+len(pad4k(noise))) + "!app.env"}},
		{"three.bin", cat(stub, pad4k(imgA), pad4k(imgB), make([]byte, 64<<10), z7B),
			[]string{"three.bin!app.env", "three.bin@" + strconv.Itoa(4096+len(pad4k(imgA))) + "!app.env", "three.bin@" + strconv.Itoa(4096+len(pad4k(imgA))+len(pad4k(imgB))+64<<10) + "!app.env"}},
	} {
		got, warns, _ := walk(t, c.name, c.data, DefaultLimits())
		if len(warns) > 0 {
			t.Errorf("%s: warnings %q", c.name, warns)
		}
		var names []string
		for n := range got {
			if strings.HasSuffix(n, "!app.env") {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		slices.Sort(c.want)
		if !slices.Equal(names, c.want) {
			t.Errorf("%s: members %q, want %q", c.name, names, c.want)
		}
	}

	// A stored 7z inside an appended zip is the zip's member, read once.
	inner := archivetest.ZipStored(t, archivetest.F("slot.7z", z7B))
	got, warns, _ := walk(t, "sfx.exe", cat(peStub(300), inner), DefaultLimits())
	if len(warns) > 0 || len(got) != 1 || got["sfx.exe!slot.7z!app.env"] != b {
		t.Errorf("stored 7z in a zip: members %q, warnings %q", keys(got), warns)
	}

	// An image cut short after a whole one: counted, never passed.
	_, warns, st := walk(t, "cut.bin", cat(stub, pad4k(imgA), imgB[:usedOf(imgB)-50]), DefaultLimits())
	if st.Unscanned == 0 {
		t.Errorf("a second image cut short: nothing counted (warnings %q)", warns)
	}

	// Thousands of tiny images stop at maxParts, the rest counted.
	var many [][]byte
	many = append(many, stub)
	for range maxParts + 10 {
		many = append(many, pad4k(imgA))
	}
	got, warns, st = walk(t, "many.bin", cat(many...), DefaultLimits())
	if len(got) != maxParts || st.Unscanned != 1 || len(warns) != 1 || !strings.Contains(warns[0], "more than 64 archives") {
		t.Errorf("%d images: %d members, %d counted, warnings %q", maxParts+10, len(got), st.Unscanned, warns)
	}
}

// usedOf is a version 4 image's bytes_used: its length without padding.
func usedOf(img []byte) int {
	end, _ := imageEnd(img, Squashfs, 0)
	return end
}
