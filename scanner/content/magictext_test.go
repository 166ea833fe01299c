package content

import (
	"context"
	"testing"
)

// TestMagicInTextNoGap: an archive's magic written in text (a README's
// code span, a comment naming the head of a format) followed by prose is
// no archive: its bytes are all read as text, and no part is counted as
// not scanned. Each head is written as the escapes a byte literal's
// reading decodes.
func TestMagicInTextNoGap(t *testing.T) {
	sc := newScanner(t)
	heads := []string{`PK\x03\x04`, `PK\x05\x06`, `\x1f\x8b\x08`, `\xfd7zXZ\x00`, `\x28\xb5\x2f\xfd`, `7z\xbc\xaf\x27\x1c`, `BZh91AY&SY`, `LZIP\x01`, `\x04\x22\x4d\x18`, `Rar!\x1a\x07\x00`}
	// Heads whose next bytes no check tells from a stream's (zstd,
	// bzip2, lzip, lz4, rar, by their index in heads): followed by another
	// head's escapes (binary), they are still taken for archives that do
	// not open (left).
	unchecked := map[int]bool{4: true, 6: true, 7: true, 8: true, 9: true}
	for i, h := range heads {
		for name, text := range map[string]string{
			"NOTES.md":  "Formats: Go's `%q` writes it so; zip (`" + h + "`), xz and zstd as escapes, or with its head plain as Python's repr writes it.\n",
			"detect.py": "# a stream starts with b'" + h + " and then its header' as the docs' example says\n",
			"notes.txt": "the head is \"" + h + "\" followed by the rest of the header, as the manual's table says\n",
			// two heads in a row: the bytes after the first are the second's, binary
			"heads.go": "// archives' heads (`" + h + "`, `\\x1f\\x8b\\x08`, `PK\\x05\\x06`), which a byte literal's reading decodes\n",
		} {
			if name == "heads.go" && unchecked[i] {
				continue
			}
			r := Scan(context.Background(), sc, name, []byte(text), DefaultOptions())
			if r.Archive.Unscanned != 0 || len(r.Warnings) != 0 {
				t.Errorf("%s with %s: %d parts not scanned: %v", name, h, r.Archive.Unscanned, r.Warnings)
			}
		}
	}
}
