package content

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/hex"
	"testing"

	"github.com/keyscan/keyscan/rules"
)

// TestZlibHex is qa15 MEDIUM-8 (hex): a credentials file zlib-compressed
// at levels 1, 6 and 9 and read back with zlib.decompress(bytes.fromhex(…))
// gives both keys from the stream, opened as a member.
func TestZlibHex(t *testing.T) {
	sc := newScanner(t)
	_, _, text := pair(91)
	for _, level := range []int{1, 6, 9} {
		var b bytes.Buffer
		w, err := zlib.NewWriterLevel(&b, level)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(text)
		w.Close()
		src := []byte("import zlib\nBLOB = zlib.decompress(bytes.fromhex(\"" + hex.EncodeToString(b.Bytes()) + "\"))\n")
		r := Scan(context.Background(), sc, "blob.py", src, DefaultOptions())
		kinds := kindsIn(r, "blob.py!hex ")
		if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Undecoded != 0 {
			t.Errorf("level %d: kinds %v, %d undecoded; findings %v", level, kinds, r.Undecoded, places(r.Findings))
		}
	}
}
