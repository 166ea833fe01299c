package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/scanner"
)

// FuzzFirmware reads any text as an Intel HEX or S-record file: no panic,
// findings inside the input, an image no larger than the records' data.
func FuzzFirmware(f *testing.F) {
	f.Add([]byte(":020000040800F2\n:10000000414B4941000000000000000000000000DA\n:00000001FF\n"))
	f.Add([]byte("S00F000068656C6C6F202020202000003C\nS11300007065727369737420736F6D6520646174DC\nS5030001FB\nS9030000FC\n"))
	f.Add([]byte(":02000002FFFF00\n:00000001FF"))
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, c := sc.ScanAllCounted("f.hex", data, 0)
		for _, fd := range fs {
			if fd.Offset < 0 || fd.EndOffset > len(data) || fd.Offset > fd.EndOffset {
				t.Fatalf("finding at [%d,%d) of %d bytes", fd.Offset, fd.EndOffset, len(data))
			}
		}
		for _, e := range c.Embedded {
			if len(e.Data) > len(data) {
				t.Fatalf("member of %d bytes from %d bytes of records", len(e.Data), len(data))
			}
		}
	})
}
