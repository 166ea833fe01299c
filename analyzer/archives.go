package analyzer

import (
	"context"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
)

// Archives in Go values. go-bindata, vfsgen and fileb0x keep each asset as
// the bytes of a gzip stream in a string literal or a []byte composite
// literal; the byte scan decodes the usual notations of those (scanner's
// bytelit.go: "\x1f\x8b…", 0x1f, 0x8b, …) and the file's archives are opened
// as its members. The type checker knows every value whatever its notation:
// a string constant (a literal, or folded from several), or a composite
// literal of byte constants ([]byte{31, 139, 'P', …}, [N]uint8{…}). A value
// whose bytes are an archive (archive.Detect) is opened as a member named
// file.go!go-constant <hash>, unless the byte scan opened the same bytes
// already, so that keyscan scan and go vet report each once.

// encGoConstant names an archive the type checker found in a Go value.
const encGoConstant = "go-constant"

// minArchiveLen is the shortest value looked at: a gzip stream's header and
// trailer are 18 bytes.
const minArchiveLen = 18

// goArchive is a Go value whose bytes are an archive.
type goArchive struct {
	pos, end token.Pos
	data     []byte
}

// archiveString notes the value of a string constant e when it is an archive.
func (s *exprScan) archiveString(e ast.Expr, v string) {
	if len(v) >= minArchiveLen && archive.Detect([]byte(v[:min(len(v), 512)])) != archive.None {
		s.archives = append(s.archives, goArchive{e.Pos(), e.End(), []byte(v)})
	}
}

// archiveLit notes a string literal whose value is an archive. Only long
// literals are unquoted.
func (s *exprScan) archiveLit(lit *ast.BasicLit) {
	if len(lit.Value) < minArchiveLen+2 || !archiveHead(lit.Value) {
		return
	}
	if v, err := strconv.Unquote(lit.Value); err == nil {
		s.archiveString(lit, v)
	}
}

// archiveHead reports whether a string literal's first byte may start an
// archive that archive.Detect knows: an escape, or one of the plain
// characters its formats start with.
func archiveHead(lit string) bool {
	switch lit[1] {
	case '\\', 'P', 'B', '7', '(', ']', 'x', 'M', 'R', '!':
		return true
	}
	return lit[1] >= 0x80
}

// archiveBytes notes a composite literal of byte constants whose bytes are
// an archive: []byte{0x1f, 0x8b, …}, [N]uint8{…}. Keyed elements and
// values that are not constants make it no archive here.
func (s *exprScan) archiveBytes(cl *ast.CompositeLit) bool {
	if len(cl.Elts) < minArchiveLen || s.info == nil {
		return false
	}
	tv, ok := s.info.Types[cl]
	if !ok || tv.Type == nil {
		return false
	}
	var elem types.Type
	switch t := tv.Type.Underlying().(type) {
	case *types.Slice:
		elem = t.Elem()
	case *types.Array:
		elem = t.Elem()
	default:
		return false
	}
	if b, ok := elem.Underlying().(*types.Basic); !ok || b.Kind() != types.Byte {
		return false
	}
	data := make([]byte, 0, len(cl.Elts))
	for _, e := range cl.Elts {
		ev, ok := s.info.Types[e]
		if !ok || ev.Value == nil {
			return false
		}
		n, exact := constant.Uint64Val(constant.ToInt(ev.Value))
		if !exact || n > 255 {
			return false
		}
		data = append(data, byte(n))
		if len(data) == 512 && archive.Detect(data) == archive.None {
			return false
		}
	}
	if archive.Detect(data) == archive.None {
		return false
	}
	s.archives = append(s.archives, goArchive{cl.Pos(), cl.End(), data})
	return true
}

// scanArchives opens the archives the walk found, but those the byte scan
// of the file opened (src, when the file could be read), and reports what
// they hold at the value, each finding named by its member.
func (s *exprScan) scanArchives() {
	if len(s.archives) == 0 {
		return
	}
	byBytes := map[[sha256.Size]byte]bool{}
	if s.src != nil {
		if src := s.src(); src != nil {
			_, c := s.sc.ScanAllCounted(s.name, src, 0)
			for _, e := range c.Embedded {
				byBytes[sha256.Sum256(e.Data)] = true
			}
		}
	}
	for _, a := range s.archives {
		sum := sha256.Sum256(a.data)
		if byBytes[sum] {
			continue
		}
		byBytes[sum] = true
		found, gap := openArchive(s.sc, s.name, encGoConstant, a.data)
		if gap != "" {
			s.gaps = append(s.gaps, gapAt{pos: a.pos, msg: gap})
		}
		for _, f := range found {
			s.out = append(s.out, exprFinding{pos: a.pos, end: a.end, f: f, member: true})
		}
	}
}

// openArchive scans data, an archive that the file name holds in the given
// encoding, as keyscan scan scans it (scanner/content), one archive level
// down, and returns what its members hold (not the test keys), and what
// of it was not checked whole ("" when all was: contentGap).
func openArchive(sc *scanner.Scanner, name, encoding string, data []byte) (scanner.Findings, string) {
	found, gap, _ := openArchiveLimited(sc, name, encoding, data, 0)
	return found, gap
}

// openArchiveLimited is openArchive inflating no more than maxBytes (0:
// the default limit), which also returns the bytes it inflated.
func openArchiveLimited(sc *scanner.Scanner, name, encoding string, data []byte, maxBytes int64) (scanner.Findings, string, int64) {
	o := content.DefaultOptions()
	o.Archives.MaxDepth--
	if maxBytes > 0 {
		o.Archives.MaxBytes = maxBytes
	}
	sub := content.EmbeddedName(name, encoding, data)
	r := content.Scan(context.Background(), sc, sub, data, o)
	found, _ := r.Findings.Split()
	return found, contentGap(sub, r), r.Archive.Bytes
}

// gapAt is a part of a file not checked whole, at pos (checker.gap).
type gapAt struct {
	pos token.Pos
	msg string
}

// contentGap says what of name a content scan did not check whole: files or
// members past their check budget, encoded runs past their decode budget,
// archive parts not read (encrypted, corrupt, past a limit): the gaps
// keyscan scan --strict fails on; "" when there are none.
func contentGap(name string, r content.Result) string {
	var parts []string
	if r.Unchecked > 0 {
		parts = append(parts, fmt.Sprintf("%d %s not checked whole (the check budget spent)", r.Unchecked, plural(r.Unchecked, "file or member", "files or members")))
	}
	if r.Undecoded > 0 {
		parts = append(parts, fmt.Sprintf("%d encoded %s not decoded whole (the decode budget spent, a gzip bomb, or a run cut short)", r.Undecoded, plural(r.Undecoded, "run", "runs")))
	}
	if r.Archive.Unscanned > 0 {
		why := ""
		if len(r.Warnings) > 0 {
			why = " (" + r.Warnings[0].String() + ")"
		}
		parts = append(parts, fmt.Sprintf("%d archive %s not read%s", r.Archive.Unscanned, plural(r.Archive.Unscanned, "part", "parts"), why))
	}
	if len(parts) == 0 {
		return ""
	}
	return name + ": " + strings.Join(parts, ", ") + "; treat it as holding keys, or exclude it in .keyscan.toml (keyscan scan's warnings name each part)"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
