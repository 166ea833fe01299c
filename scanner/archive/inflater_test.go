package archive

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// TestInflaterAsFlate: the members of zip archives read through inflater
// (klauspost/compress's inflate over the archive's bytes) give the bytes
// and the errors compress/flate gives, intact and with their compressed
// data damaged (a corrupt stream's error may name an offset a byte or so
// apart: the two read ahead differently).
func TestInflaterAsFlate(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	damaged := 0
	for i := 0; i < 200; i++ {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for k := 0; k < 1+r.Intn(4); k++ {
			f, err := zw.Create(fmt.Sprintf("m%d.txt", k))
			if err != nil {
				t.Fatal(err)
			}
			text := make([]byte, r.Intn(70000))
			for j := range text {
				text[j] = "ab c\nAKIA0123456789xyz"[r.Intn(22)]
			}
			f.Write(text)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if i%2 == 1 {
			// Damage a byte past the first local header, in some member's data.
			at := 40 + r.Intn(len(data)/2)
			data[at] ^= byte(1 + r.Intn(255))
			damaged++
		}
		std, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			continue // the directory itself is damaged
		}
		ours, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		ours.RegisterDecompressor(zip.Deflate, inflater(data))
		for k, f := range std.File {
			want, werr := readMember(f)
			got, gerr := readMember(ours.File[k])
			if !bytes.Equal(got, want) || errKind(gerr) != errKind(werr) {
				t.Fatalf("archive %d member %s: %d bytes, error %v; compress/flate gives %d bytes, error %v", i, f.Name, len(got), gerr, len(want), werr)
			}
		}
	}
	if damaged == 0 {
		t.Fatal("no damaged archive")
	}
}

func readMember(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// errKind is an error's text without its numbers.
func errKind(err error) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, fmt.Sprint(err))
}
