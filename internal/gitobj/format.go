package gitobj

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/readfile"
)

// ErrSHA256 is returned by CheckFormat for a repository whose objects are
// named by SHA-256.
var ErrSHA256 = errors.New("SHA-256 repositories are not supported: keyscan reads SHA-1 repositories only")

// maxConfigSize bounds the configuration file CheckFormat reads.
const maxConfigSize = 16 << 20

// CheckFormat returns ErrSHA256 when the
// repository whose common git folder is commonDir names its objects by
// SHA-256 (`git init --object-format=sha256`: extensions.objectFormat in
// its config). This package reads 20-byte IDs only; without the check such
// a repository fails further on with errors that say nothing of the cause
// (the index's "checksum mismatch", go-git's "unknown extension"). A
// missing config is SHA-1; one that cannot be read is an error.
func CheckFormat(commonDir string) error {
	p := filepath.Join(commonDir, "config")
	b, err := readfile.File(p, false, maxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("git config: %w", err)
	}
	if f := objectFormat(b); f != "" && f != "sha1" {
		if f == "sha256" {
			return ErrSHA256
		}
		return fmt.Errorf("object format %q is not supported: keyscan reads SHA-1 repositories only", f)
	}
	return nil
}

// RefStorage returns extensions.refStorage of the repository whose common
// git folder is commonDir, lowercased: "" or "files" for loose refs and
// packed-refs, "reftable" for git's binary ref tables (git 2.45,
// `git init --ref-format=reftable`), which leave HEAD a stub naming
// refs/heads/.invalid and no loose ref to read. A missing config is "".
func RefStorage(commonDir string) (string, error) {
	b, err := readfile.File(filepath.Join(commonDir, "config"), false, maxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("git config: %w", err)
	}
	return extension(b, "refstorage"), nil
}

// objectFormat returns extensions.objectFormat from a git config file,
// lowercased; "" when it is not set.
func objectFormat(conf []byte) string { return extension(conf, "objectformat") }

// extension returns the extension key (lowercase) from a git config file,
// lowercased; "" when it is not set. It reads git's config syntax far
// enough for that key: sections ("[extensions]", names case-insensitive,
// a key on the header's line), "key = value" lines, comments after '#'
// or ';', quoted values.
func extension(conf []byte, name string) string {
	section, format := "", ""
	for line := range bytes.SplitSeq(conf, []byte("\n")) {
		l := strings.TrimSpace(string(line))
		if strings.HasPrefix(l, "[") {
			end := strings.IndexByte(l, ']')
			if end < 0 {
				section = ""
				continue
			}
			section = strings.ToLower(strings.TrimSpace(l[1:end]))
			l = strings.TrimSpace(l[end+1:])
		}
		if section != "extensions" || l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		key, val, _ := strings.Cut(l, "=")
		if !strings.EqualFold(strings.TrimSpace(key), name) {
			continue
		}
		val = strings.TrimSpace(val)
		if q, ok := strings.CutPrefix(val, "\""); ok {
			val, _, _ = strings.Cut(q, "\"") // a comment may follow
		} else if i := strings.IndexAny(val, "#;"); i >= 0 {
			val = strings.TrimSpace(val[:i])
		}
		format = strings.ToLower(val)
	}
	return format
}
