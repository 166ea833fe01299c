package archive

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/bits"
	"path"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner/archive/cfb"
	"github.com/keyscan/keyscan/scanner/archive/png"
	"github.com/keyscan/keyscan/scanner/archive/pyinstaller"
	"github.com/keyscan/keyscan/scanner/archive/rdb"
	"github.com/keyscan/keyscan/scanner/archive/sqlite"
	"github.com/keyscan/keyscan/scanner/archive/tables"
	"github.com/ulikunitz/xz/lzma"
)

// Limits bound the work one archive can cause. Every limit but MaxMembers
// applies to one archive as the caller handed it, nested archives
// included, so a nested bomb is held to the same budget as a flat one;
// MaxMembers applies to each archive, and TotalMembers times it to the
// whole.
type Limits struct {
	// MaxDepth is how many levels of archives are opened: 1 opens the
	// archive itself but not the archives inside it; 0 opens none.
	MaxDepth int
	// Outer is how many levels around this walk were opened by its caller
	// (an encoded run, a patch hunk: each counts as a level, and the
	// caller passes MaxDepth less them), for the warnings, which name the
	// limit the user set.
	Outer int
	// MaxBytes caps the decompressed bytes read from one archive.
	MaxBytes int64
	// MaxRatio caps decompressed bytes per compressed byte of each archive
	// level, once that level has given more than its ratio floor (a quarter
	// of MaxBytes, RatioFloor when MaxBytes is 0). The floor is high on
	// purpose: logs, padding and dumps compress 300 to 1000 times, and a
	// ratio checked from the first MiB let such content placed before a key
	// hide it; MaxBytes already bounds the cost below the floor.
	MaxRatio int64
	// MaxMembers caps the members read from one archive, each nested
	// archive counting its own (a fat jar's libraries are archives of
	// their own); the members of one Walk, every level together, are
	// capped at TotalMembers times it, so that archives nested in
	// archives cannot multiply the cap without bound.
	MaxMembers int
	// MaxMemberSize is the largest member read; larger ones are skipped
	// with a warning (the callers pass their max_file_size).
	MaxMemberSize int64
	// MaxArchiveSize is the largest archive file opened: fat jars and
	// Lambda zips are routinely over max_file_size while each member is
	// small, so a file over that size whose content is an archive is read
	// (in memory) up to this size. Walk itself does not check it; the
	// callers that read files and blobs do, through
	// content.Options.OpensLarge.
	MaxArchiveSize int64
	// Run, when not nil, is shared by every Walk of one run (a scan, a
	// history, a push): see Budget. The limits above bound one file or
	// blob; this bounds a folder or a push of thousands of small ones.
	Run *Budget
}

// Budget is how many bytes the archives of one run may give past MaxRatio
// times their compressed size (and past RunFloor each level), every Walk
// together (qa15 HIGH-14): a 2.9 KB bzip2 of 25 MiB of zeros and a little
// noise stays under BombRatio and under max_file_size, and costs 0.57 CPU s
// to inflate; a push or a folder of thousands of them, each its own walk
// within its own limits, stalled the gate for minutes. Text and the files
// of ordinary repositories compress less than MaxRatio times (source and
// their archives 3 to 10 times), so they charge nothing; logs, padding and
// sparse images that compress more charge the part past it while they are
// read, and hand it back once read whole at no more than OrdinaryRatio.
// Once the budget is spent, a
// level stops where it passes MaxRatio times its size (after RunFloor),
// with a warning counted as a part not scanned. Its methods are safe for
// concurrent use: a run's files are read in parallel.
type Budget struct {
	size int64
	left atomic.Int64
}

// NewBudget returns a run's budget of n bytes.
func NewBudget(n int64) *Budget {
	b := &Budget{size: n}
	b.left.Store(n)
	return b
}

// RunBudget is the default Budget of a run: past it, the 2.9 KB files of
// qa15 HIGH-14 cost a few milliseconds each, and before it, at most about
// as much CPU as two of them. RunFloor is what each level may give at any
// ratio before it is charged: a few-byte stream of a small file is no bomb.
const (
	RunBudget = 64 << 20
	RunFloor  = 64 << 10
)

// OrdinaryRatio is the most a level may expand and still hand back, once
// read whole, what it charged to the run's Budget: logs, padding and dumps
// compress 300 to 1000 times (a dozen gzip'd 10 MiB sparse disk images at
// 280 times used the budget up and failed a push: qa16 MEDIUM-10); no text
// or file compresses more, and a bomb past it keeps its charge.
const OrdinaryRatio = 1000

// runFree is how many decompressed bytes a level has read that the run's
// budget does not pay for: RunFloor, or MaxRatio times its size.
func (l Limits) runFree(lv *level) int64 {
	return max(RunFloor, l.MaxRatio*lv.compressed)
}

// TotalMembers is how many times MaxMembers one Walk reads in all, nested
// archives included: a Spring Boot jar of 150 libraries of up to 5000
// classes each stays under it, and a bomb of archives of empty members
// nested three deep stops at a million members.
const TotalMembers = 100

// RatioFloor is how many decompressed bytes an archive level may give
// before MaxRatio is checked, when MaxBytes does not set the floor.
const RatioFloor = 64 << 20

// BombRatio is the ratio past which a level's output is taken for a
// compression bomb once it passes BombFloor, whatever max_bytes lets
// MaxRatio wait for: text compresses 300 to 1000 times at most, and 130
// bytes of bzip2 hold 64 MiB of zeros, which took 0.2 CPU s each to inflate
// up to max_file_size (qa15 HIGH-14: a push of 100 such blobs kept the gate
// busy 19 CPU s). It applies when MaxRatio does (not 0).
const (
	BombRatio = 10000
	BombFloor = 1 << 20
)

// ratioFloor is the output a level may reach before MaxRatio applies.
func (l Limits) ratioFloor() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes / 4
	}
	return RatioFloor
}

// Default limits.
const (
	DefaultMaxDepth      = 3
	DefaultMaxBytes      = 256 << 20
	DefaultMaxRatio      = 100
	DefaultMaxMembers    = 10000
	DefaultMaxMemberSize = 25 << 20
	// DeepestDepth is the most levels a configuration may ask to open
	// (qa12 MEDIUM-17): each level keeps its name and its state, so a
	// gzip that holds itself, opened level after level, costs memory with
	// the square of the depth; no real archive nests this deep.
	DeepestDepth          = 64
	DefaultMaxArchiveSize = 256 << 20
)

// HeadSize is how many leading bytes Detect needs to recognise every format.
const HeadSize = 512

// DefaultLimits returns the limits keyscan uses unless told otherwise.
func DefaultLimits() Limits {
	return Limits{MaxDepth: DefaultMaxDepth, MaxBytes: DefaultMaxBytes, MaxRatio: DefaultMaxRatio,
		MaxMembers: DefaultMaxMembers, MaxMemberSize: DefaultMaxMemberSize, MaxArchiveSize: DefaultMaxArchiveSize}
}

// Member is one file inside an archive.
type Member struct {
	// Name is the archive's name, '!', and the member's path, once per level.
	Name string
	// Data is the member's content, valid only during the call.
	Data []byte
	// Raw marks an archive's own bytes rather than a member: a nested
	// archive whole (a zip comment, a tar header, bytes after its end), or
	// the header blocks of a compressed tar (names, PAX records), which no
	// member holds. Name is then the archive's. The caller scans them as a
	// binary file's bytes, as it scans the outermost archive's own bytes,
	// so that every level's headers are read alike. Raw members are not
	// counted in Stats.Members.
	Raw bool
	// Offset is where a Raw member's Data starts in the decompressed
	// stream it was read from (0 for a nested archive whole).
	Offset int64
	// Unread marks a member whose name the archive lists but whose data
	// was not read: encrypted, compressed with a method keyscan does not
	// decode, corrupt, over max_file_size, or behind such a member in a
	// solid block. Data is nil; a warning says why. The name is handed on
	// all the same, so that a key in it is found as in any member's name
	// (qa14 MEDIUM-7): 7-Zip and unzip -l print an encrypted archive's
	// names without a password, so they are as exposed as a readable
	// member's. Unread members are not counted in Stats.Members.
	Unread bool
	// Rebuilt marks text keyscan rebuilt from members the walk handed on
	// before it: the rows of a spreadsheet's (or a document's) tables,
	// named after the part that holds them (book.xlsx!xl/worksheets/
	// sheet1.xml rows), each line a row, its cells parted by tabs (see
	// package tables), so that a header cell names the values of its
	// column as in a TSV file. A key the members themselves gave is the
	// caller's to report once. Rebuilt members are not counted in
	// Stats.Members.
	Rebuilt bool
}

// Warning is something in an archive that was not read, or not read whole.
type Warning struct {
	Path    string // the archive or member it concerns, named as findings are
	Message string
}

func (w Warning) String() string { return w.Path + ": " + w.Message }

// Stats count what Walk did.
type Stats struct {
	Archives int   // archives opened, nested ones included
	Members  int   // members handed to the caller
	Bytes    int64 // decompressed bytes read
	// Unscanned counts the warnings that left part of the archive unread:
	// a limit hit, a member too large, encrypted or corrupt.
	Unscanned int
	// TooLarge counts, of those, the members (and trailing data) over
	// MaxMemberSize, the callers' max_file_size: a file over max_file_size
	// packed in an archive, which the hooks fail on as on any such file,
	// as the gate does (it fails on every part not scanned).
	TooLarge int
}

// Format is an archive or compression format.
type Format uint8

// The formats Detect knows.
const (
	None Format = iota
	Zip
	Tar
	Gzip
	Bzip2
	Xz
	Zstd
	Lzma     // LZMA "alone" (.lzma), as xz-utils and 7-Zip write it
	Zlib     // a raw zlib stream (RFC 1950), as git's loose objects are
	SevenZip // 7-Zip's .7z
	Ar       // Unix ar: .deb packages, static libraries
	Brotli   // a Brotli stream (.br): known by its name, see DetectName
	Pdf      // a PDF document: its streams are the members (pdf.go)
	GitPack  // a git pack file read without its index (gitpack.go)
	Bundle   // a git bundle: refs, then a pack (gitpack.go)
	Squashfs // a squashfs image: snaps, AppImages, root filesystems (squashfs.go)
	Lzip     // lzip's .lz: LZMA in a framing of its own (lzip.go)
	Compress // Unix compress's .Z: LZW (lzw.go)
	Lz4      // lz4's frame and legacy formats (lz4.go)
	Cpio     // cpio (newc, odc, binary): initramfs images, find | cpio -o (cpio.go)
	Asar     // an Electron app.asar: a JSON directory, then the files (asar.go)
	// A PyInstaller executable's CArchive (found from its cookie at the
	// end, behind the bootloader) and the PYZ of modules inside it
	// (pyinst.go).
	PyInstaller
	Pyz
	Png // a PNG image: its compressed text chunks are the members (pngtext.go)
	Rdb // a Redis dump: its LZF-compressed strings are the members (rdbfile.go)
	// A SQLite database: the rows of its tables, each column under its
	// name (sqlitefile.go).
	Sqlite
	Ole // a compound file (OLE2): its streams, VBA modules decompressed (ole.go)
	Ext // an ext2/ext3/ext4 file-system image: rootfs.ext4, VM disks (isExt, ext.go)
	// The formats below are recognised but not opened: Walk warns that
	// their members were not scanned and counts them in
	// Stats.Unscanned, so that a scan never passes them in silence.
	Rar
	Cab
	Rpm
	Nsis // an NSIS installer: a Windows program, its files compressed after it (nsisAt)
)

func (f Format) String() string {
	return [...]string{"none", "zip", "tar", "gzip", "bzip2", "xz", "zstd", "lzma", "zlib",
		"7z", "ar", "brotli", "pdf", "git pack", "git bundle", "squashfs", "lzip", "compress", "lz4", "cpio", "asar", "PyInstaller", "PYZ", "png", "Redis dump", "SQLite database", "compound file", "ext", "rar", "cab", "rpm", "nsis"}[f]
}

// noun names what a format Walk does not open holds, for a warning: "rar
// archive", "rpm package".
func (f Format) noun() string {
	switch f {
	case Rpm:
		return "rpm package"
	case Squashfs:
		return "squashfs image"
	case Nsis:
		return "NSIS installer"
	case Ext:
		return "ext2/ext3/ext4 file-system image"
	}
	return f.String() + " archive"
}

// Opened reports whether Walk reads the members of a format, rather than
// only recognising it.
func (f Format) Opened() bool { return f != None && f < Rar }

// Detect returns the archive format of data from its magic bytes, or None.
//
// A magic number followed by text is no archive but text that names the
// magic: a README's code span (`PK\x03\x04`), a comment or a string giving
// a format's head, which a byte literal's or an encoded run's reading
// decodes (qa22 bin29: keyscan scan README.md counted "1 archive part" not
// scanned, a "zip" of the README's prose that did not open). Every byte of
// such data is read as text, so nothing is left unread; a real archive of
// these formats holds binary bytes right after its magic (a zip's version
// and flags, a gzip's flags and time, a compressed block), and one cut
// short or corrupt there is still an archive that did not open.
func Detect(data []byte) Format {
	f := detectMagic(data)
	if n := binaryHead(f); n > 0 && textOnly(data[n:]) || !plausibleHead(f, data) {
		return None
	}
	return f
}

// plausibleHead reports whether the bytes after a zip's or a gzip
// stream's magic may start its header, where they hold what no writer
// writes and every reader refuses at once: a zip local header's version
// needed above 255 (its high byte set), an end record's disk numbers above
// 255, a spanned archive's marker not followed by a local header, a gzip
// stream's reserved flag bits, an xz stream's flags that their CRC-32
// does not match. Text that names two formats' heads in a row
// (`PK\x03\x04`, `\x1f\x8b`) decodes to such bytes.
func plausibleHead(f Format, data []byte) bool {
	switch {
	case f == Zip && data[2] == 3:
		return len(data) >= 6 && data[5] == 0
	case f == Zip && data[2] == 5:
		return len(data) >= 8 && data[5] == 0 && data[7] == 0
	case f == Zip:
		return bytes.HasPrefix(data[4:], []byte("PK\x03\x04"))
	case f == Gzip:
		return len(data) >= 4 && data[3]&0xe0 == 0
	case f == Xz:
		// the stream flags (a zero byte, then the check type) and
		// their CRC-32
		return len(data) >= 12 && data[6] == 0 && data[7] < 0x10 && crc32.ChecksumIEEE(data[6:8]) == binary.LittleEndian.Uint32(data[8:12])
	}
	return true
}

// binaryHead returns the length of the magic of a format whose header
// goes on in binary after it, or 0 for the formats a text file may be
// (tar, cpio and ar headers are text, a PDF may be all text) or that
// Detect tells by more than a magic (LZMA, zlib).
func binaryHead(f Format) int {
	switch f {
	case Zip, Lz4, Rpm, Zstd:
		return 4
	case Gzip, Compress:
		return 3
	case Bzip2:
		return 10
	case Xz, SevenZip:
		return 6
	case Lzip:
		return 5
	case Rar:
		return 7
	case Cab:
		return 8
	}
	return 0
}

// textWindow is how much of the data after a magic textOnly reads: a
// compressed stream's bytes are binary well within it.
const textWindow = 256

// textOnly reports whether the head of b (textWindow bytes) is text:
// UTF-8 without control bytes other than tab, line feed and carriage
// return. A rune the window cuts is text.
func textOnly(b []byte) bool {
	w := b[:min(len(b), textWindow)]
	for _, c := range w {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	if len(w) < len(b) {
		for k := 0; k < 3 && len(w) > 0 && !utf8.FullRune(w[lastRuneStart(w):]); k++ {
			w = w[:lastRuneStart(w)]
		}
	}
	return utf8.Valid(w)
}

// lastRuneStart returns where the last rune of w starts, going back over
// continuation bytes (at most 3).
func lastRuneStart(w []byte) int {
	i := len(w) - 1
	for i > 0 && len(w)-i < 4 && w[i]&0xc0 == 0x80 {
		i--
	}
	return max(i, 0)
}

// detectMagic is Detect by the magic bytes alone.
func detectMagic(data []byte) Format {
	switch {
	case len(data) >= 4 && data[0] == 'P' && data[1] == 'K' &&
		(data[2] == 3 && data[3] == 4 || data[2] == 5 && data[3] == 6 || data[2] == 7 && data[3] == 8):
		return Zip
	case len(data) >= 3 && data[0] == 0x1f && data[1] == 0x8b && data[2] == 8:
		return Gzip
	case len(data) >= 10 && data[0] == 'B' && data[1] == 'Z' && data[2] == 'h' && '1' <= data[3] && data[3] <= '9' &&
		(bytes.Equal(data[4:10], []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) || bytes.Equal(data[4:10], []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})):
		return Bzip2
	case bytes.HasPrefix(data, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return Xz
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}) || isZstdSkippable(data):
		return Zstd
	case bytes.HasPrefix(data, sevenZipSignature):
		return SevenZip
	case bytes.HasPrefix(data, []byte("Rar!\x1a\x07\x00")) || bytes.HasPrefix(data, []byte("Rar!\x1a\x07\x01\x00")):
		return Rar
	case bytes.HasPrefix(data, []byte("MSCF\x00\x00\x00\x00")):
		return Cab
	case bytes.HasPrefix(data, []byte("!<arch>\n")):
		return Ar
	case bytes.HasPrefix(data, []byte{0x04, 0x22, 0x4d, 0x18}) || bytes.HasPrefix(data, []byte{0x02, 0x21, 0x4c, 0x18}):
		return Lz4
	case bytes.HasPrefix(data, []byte{0xed, 0xab, 0xee, 0xdb}):
		return Rpm
	case len(data) >= 6 && bytes.HasPrefix(data, []byte("LZIP\x01")):
		return Lzip
	case len(data) >= 3 && data[0] == 0x1f && data[1] == 0x9d && data[2]&0x60 == 0 && 9 <= data[2]&0x1f && data[2]&0x1f <= 16:
		// compress's magic, then its flags: at most 16 bits a code, the two
		// bits it never sets clear (qa14 LOW-4)
		return Compress
	case isCpio(data):
		return Cpio
	case isAsar(data):
		return Asar
	case gitobj.IsPack(data):
		return GitPack
	case gitobj.IsBundle(data):
		return Bundle
	case isSquashfs(data):
		return Squashfs
	case isTar(data):
		return Tar
	case isExt(data):
		return Ext
	case isPDF(data):
		return Pdf
	case isLzma(data):
		return Lzma
	case isZlib(data):
		return Zlib
	}
	return None
}

// DetectName is Detect, then Brotli for a name ending in ".br" whose
// content decodes as a Brotli stream, then an archive behind other bytes
// (a self-extracting stub, a launch script, a .crx header: stub.go).
// Brotli has no magic number: its name is the only sign, as for the
// precompressed assets web servers hand out (app.js.br). The content must
// decode as well, so that a file that is merely named so is still read for
// what it is. Walk and the content scanner ask this, with the whole
// content; the callers that only decide whether a large file is read
// (content.Options.OpensLarge) ask Detect, so a Brotli file over
// max_file_size is skipped with a warning, as any other file is.
func DetectName(name string, data []byte) Format {
	f, _ := locate(name, data)
	if f == None {
		ps, more, _ := embeddedScan(data, true)
		switch {
		case len(ps) > 0:
			return ps[0].f
		case more == restUnsearched:
			return Zstd // candidates unsearched: Walk counts them
		}
	}
	return f
}

// locate is DetectName, and where the archive starts in data: 0, or past
// the stub before it.
func locate(name string, data []byte) (Format, int) {
	if f := Detect(data); f != None {
		return f, 0
	}
	if f := detectFile(data); f != None {
		return f, 0
	}
	if n := len(name); n >= 3 && strings.EqualFold(name[n-3:], ".br") && isBrotli(data) {
		return Brotli, 0
	}
	if splitZipPart(name, data) {
		// The middle or last part of a split zip, which starts inside a
		// member: read from its first local header (walker.zip).
		return Zip, max(0, bytes.Index(data, localSig))
	}
	return behind(data)
}

// detectFile returns the formats opened as files and members but never
// looked for in an encoded run (Detect, which the matcher asks of every
// decoded base64 or hex run): a PYZ, a PNG image (data: URIs in HTML and
// Markdown are base64 PNGs, by the thousand, which the matcher passes
// over when they hold no text run), a Redis dump, a SQLite database and a
// compound file.
func detectFile(data []byte) Format {
	switch {
	case pyinstaller.IsPyz(data):
		return Pyz
	case bytes.HasPrefix(data, png.Signature):
		return Png
	case rdb.IsDump(data):
		return Rdb
	case sqlite.IsDatabase(data):
		return Sqlite
	case bytes.HasPrefix(data, cfb.Signature):
		return Ole
	}
	return None
}

// isLzma reports whether data starts an LZMA "alone" stream. The format has
// no magic number, so this asks what xz-utils asks before it decodes one: a
// valid properties byte, a dictionary size of 2^n or 2^n+2^(n-1), an
// uncompressed size that is unknown (all ones) or under 256 GiB, and the
// range coder's first byte, which is always 0.
func isLzma(b []byte) bool {
	if len(b) < 14 || b[0] >= 9*5*5 || b[13] != 0 {
		return false
	}
	d := binary.LittleEndian.Uint32(b[1:5])
	if d < 1<<12 || bits.OnesCount32(d) != 1 && d>>bits.TrailingZeros32(d) != 3 {
		return false
	}
	size := binary.LittleEndian.Uint64(b[5:13])
	return size == ^uint64(0) || size < 1<<38
}

// isZlib reports whether data starts a zlib stream: a deflate header of the
// levels zlib writes (78 01, 78 9c, 78 da; two bytes a binary file can start
// with by chance) whose first bytes also decompress. The text-looking 78 5e
// ("x^") is left out.
func isZlib(b []byte) bool {
	if len(b) < 3 || b[0] != 0x78 || b[1] != 0x01 && b[1] != 0x9c && b[1] != 0xda {
		return false
	}
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	n, err := io.ReadFull(zr, make([]byte, 64))
	return n > 0 && (err == nil || err == io.EOF || err == io.ErrUnexpectedEOF)
}

// isZstdSkippable reports whether data starts with a zstd skippable frame
// (magic 0x184D2A50 to 0x184D2A5F, which pzstd writes first) followed,
// after any further skippable frames within data, by a zstd frame, or by
// the end of data when a frame runs past it (a head of a larger file).
func isZstdSkippable(b []byte) bool {
	skippable := func(b []byte) bool {
		return len(b) >= 8 && b[0]&0xf0 == 0x50 && b[1] == 0x2a && b[2] == 0x4d && b[3] == 0x18
	}
	if !skippable(b) {
		return false
	}
	for skippable(b) {
		size := uint64(binary.LittleEndian.Uint32(b[4:8]))
		if size >= uint64(len(b)-8) {
			return true
		}
		b = b[8+size:]
	}
	return bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd})
}

// isSquashfs reports whether data starts a squashfs superblock (snaps,
// AppImages' payloads, firmware and container root filesystems): the magic
// "hsqs" (little-endian, what mksquashfs writes) or "sqsh" (the big-endian
// images of squashfs 1 to 3), and a version and block size its readers
// accept: version 4 with a block size that is 2 to the power its block_log
// says, from 4 KiB to 1 MiB, or an older major version 1 to 3.
func isSquashfs(b []byte) bool {
	if len(b) < 32 {
		return false
	}
	switch string(b[:4]) {
	case "hsqs":
		if major := binary.LittleEndian.Uint16(b[28:30]); major == 4 {
			size, log := binary.LittleEndian.Uint32(b[12:16]), binary.LittleEndian.Uint16(b[22:24])
			return log >= 12 && log <= 20 && size == 1<<log
		} else {
			return major >= 1 && major <= 3
		}
	case "sqsh":
		major := binary.BigEndian.Uint16(b[28:30])
		return major >= 1 && major <= 3
	}
	return false
}

// isExt reports whether data is an ext2, ext3 or ext4 file-system image
// (mkfs.ext4 -d: Yocto and Buildroot root file systems, VM and test
// disks): its superblock, 1024 bytes in, holds the magic 0xEF53 and sizes
// mke2fs can write (a block of 1 to 64 KiB, revision 0 or 1, some inodes
// and blocks). Its files are read by package extfs (ext.go); before,
// it was counted as not opened (qa16 HIGH-1). Its superblock lies past
// HeadSize: a file over max_file_size is not known by it.
func isExt(b []byte) bool {
	if len(b) < 2048 || b[1080] != 0x53 || b[1081] != 0xef {
		return false
	}
	le := binary.LittleEndian
	log := le.Uint32(b[1048:])
	if log > 6 || le.Uint32(b[1024:]) == 0 || le.Uint32(b[1028:]) == 0 || le.Uint32(b[1100:]) > 1 {
		return false
	}
	// The first data block (1 with 1 KiB blocks, else 0), blocks per group
	// (a multiple of 8, at most the bits of one block), and the action on
	// errors (1 to 3): fields no chance pair of bytes makes hold together.
	first, perGroup, errs := le.Uint32(b[1044:]), le.Uint32(b[1056:]), le.Uint16(b[1084:])
	return first == boolInt(log == 0) && perGroup > 0 && perGroup%8 == 0 && perGroup <= 8<<(10+log) && errs >= 1 && errs <= 3
}

func boolInt(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// isTar reports whether a block starts a tar archive: a POSIX or GNU one by
// its "ustar" magic, a V7 one (no magic; tar --format=v7, old tools) by a
// header checksum that adds up, a name, and a type V7 knows.
func isTar(b []byte) bool {
	if len(b) >= 263 && string(b[257:262]) == "ustar" && (b[262] == 0 || b[262] == ' ') {
		return true
	}
	if len(b) < 512 || b[0] == 0 || b[156] != 0 && (b[156] < '0' || b[156] > '7') {
		return false
	}
	_, sizeOK := octal(b[124:136])
	return sizeOK && tarSumOK(b)
}

// octal parses a tar header's numeric field: octal digits, with leading
// spaces and trailing NULs or spaces; at least one digit.
func octal(f []byte) (int64, bool) {
	f = bytes.TrimLeft(f, " ")
	f = bytes.TrimRight(f, " \x00")
	if len(f) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range f {
		if c < '0' || c > '7' {
			return 0, false
		}
		n = n*8 + int64(c-'0')
	}
	return n, true
}

// Walk opens the archive in data, called name, and calls yield for every
// member that is not itself an archive opened in turn. It returns the
// warnings for what it could not read, and never fails: a corrupt archive
// gives what could be read of it and a warning. When data is not an
// archive, or lim.MaxDepth is 0, Walk does nothing.
func Walk(ctx context.Context, name string, data []byte, lim Limits, yield func(Member)) ([]Warning, Stats) {
	w := &walker{ctx: ctx, lim: lim, yield: yield}
	if lim.MaxDepth <= 0 {
		return nil, w.stats
	}
	ps, more := locateAll(name, data)
	if len(ps) == 0 && more == restNone {
		return nil, w.stats
	}
	if w.lim.MaxMemberSize <= 0 {
		w.lim.MaxMemberSize = DefaultMaxMemberSize
	}
	w.top = name
	w.openParts(name, name, data, ps, more, 1)
	w.stats.Bytes = w.bytes
	return w.warns, w.stats
}

// walker is the state of one Walk: the budget is shared by every level.
type walker struct {
	ctx     context.Context
	top     string // the outermost archive's name
	lim     Limits
	yield   func(Member)
	warns   []Warning
	stats   Stats
	bytes   int64          // decompressed so far
	members int            // members read, every level together
	counts  map[string]int // members read per archive, by its name
	stopped bool           // a whole-archive limit was hit: read nothing more
	// books are the parts of each archive that its tables' rows are
	// rebuilt from, by the archive's name (tables.go)
	books map[string]*tables.Book
}

// level is one archive being read: its ratio is its own.
type level struct {
	name       string
	compressed int64
	read       int64
	stopped    bool  // its ratio was hit: read nothing more of it
	charged    int64 // what it charged to the run's Budget
	single     bool  // a stream inside a binary file: its first gzip member or bzip2 stream only (embedded.go)
}

// warn records content left unread; note records a warning about content
// that was scanned all the same.
func (w *walker) warn(p, format string, args ...any) {
	w.stats.Unscanned++
	w.note(p, format, args...)
}

func (w *walker) note(p, format string, args ...any) {
	w.warns = append(w.warns, Warning{Path: p, Message: fmt.Sprintf(format, args...)})
}

// unread warns that the data of the member memberPath of archive is not
// read, and hands its name on (Member.Unread): every format's reader says
// so through it, so that a listed name is scanned whether or not its data
// can be.
func (w *walker) unread(archive, memberPath, format string, args ...any) {
	w.warn(archive+"!"+memberPath, format, args...)
	w.named(archive, memberPath)
}

// named hands on the name of a member whose data is not read, without a
// warning of its own (one was given for the solid block it is in). The
// names an archive lists are bounded by its directory's size and by
// Limits.entries, as its members are.
func (w *walker) named(archive, memberPath string) {
	if w.ctx.Err() != nil {
		return
	}
	w.yield(Member{Name: archive + "!" + memberPath, Unread: true})
}

// limitError is a limit hit while reading; the walk says so once and stops
// reading the level (a ratio) or the whole archive (the byte budget).
type limitError struct {
	msg   string
	whole bool
}

func (e *limitError) Error() string { return e.msg }

// open reads the archive of format f that starts at data[at:] (past a
// stub, or at 0), at the given depth (1 for the outermost). own is the last
// element of name: the outermost archive's name, or the member path it has
// in the archive around it, which a compressed single file is named after
// (nx.zip!app.env.xz!app.env). A zip gets the whole of data, since its
// offsets may count the stub (zip -A) or not (a Spring Boot launch
// script), which archive/zip works out from the end record.
func (w *walker) open(name, own string, data []byte, at int, f Format, depth int, single bool) {
	if f != Zip {
		data = data[at:]
	}
	lv := &level{name: name, compressed: int64(len(data)), single: single}
	if !f.Opened() {
		w.warn(name, "%s not opened (keyscan recognises the format but cannot read it): what it holds is not scanned, only its own bytes", f.noun())
		return
	}
	w.stats.Archives++
	switch f {
	case Zip:
		w.zip(name, data, at, lv, depth)
	case Tar:
		// The bytes are in memory and the caller scans them whole (Raw),
		// headers included.
		w.tar(name, w.meter(bytes.NewReader(data), lv), lv, depth, false)
	case SevenZip:
		w.sevenZip(name, data, lv, depth)
	case Ar:
		w.ar(name, data, lv, depth)
	case Pdf:
		w.pdf(name, data, lv, depth)
	case GitPack, Bundle:
		w.gitPack(name, data, f, lv, depth)
	case Squashfs:
		w.squashfs(name, data, lv, depth)
	case Cpio:
		w.cpio(name, data, lv, depth)
	case Asar:
		w.asar(name, data, lv, depth)
	case PyInstaller, Pyz:
		w.pyinstaller(name, data, f, lv, depth)
	case Png:
		w.png(name, data, lv, depth)
	case Rdb:
		w.rdb(name, data, lv, depth)
	case Sqlite:
		w.sqlite(name, data)
	case Ole:
		w.ole(name, data, lv, depth)
	case Ext:
		w.ext(name, data, lv, depth)
	default:
		w.compressed(name, own, f, data, lv, depth)
	}
	w.tableRows(name)
	if run := w.lim.Run; run != nil && lv.charged > 0 && !lv.stopped && lv.read <= OrdinaryRatio*lv.compressed {
		// Read whole at a ratio content reaches (logs, padding, sparse
		// images: qa16 MEDIUM-10): it hands back what it charged, so
		// that only bombs use the budget up.
		run.left.Add(lv.charged)
	}
}

// openParts opens the archives locateAll found in data one after another,
// each a level of its own. The first is named as the file is; each later
// one after the file and where it starts (fw.bin@12288!etc/app.env), so
// that two images holding the same path (A/B slots, an old and a new
// key) give two findings, not one.
func (w *walker) openParts(name, own string, data []byte, ps []part, more rest, depth int) {
	for i, p := range ps {
		if w.stopped || w.ctx.Err() != nil {
			return
		}
		n := name
		if i > 0 || p.single {
			n = fmt.Sprintf("%s@%d", name, p.at)
		}
		w.open(n, own, data[:p.end], p.at, p.f, depth, p.single)
	}
	switch {
	case more == restUnsearched:
		w.warn(name, "compressed streams inside it looked for until the search's budget (a third of its bytes in zstd and LZMA2 block headers walked, four times its bytes inflated by zlib candidates) ran out: the candidates after are not opened")
	case more == restMore && ps[0].single:
		w.warn(name, "more than %d compressed streams inside it: the ones after them are not opened", maxParts)
	case more == restMore:
		w.warn(name, "more than %d archives one after another: the ones after them are not opened", maxParts)
	}
}

// The limits a level's output can reach first, which name the warning.
const (
	byBytes = iota
	byRatio
	byBomb
	byRun
)

// room returns how many more decompressed bytes the level lv may give,
// and which limit binds first. A decoder that fills a window before it
// hands out a byte (LZMA) gets no larger window than this: what is
// decoded past it would not be read.
func (w *walker) room(lv *level) (int64, int) {
	room, by := w.lim.MaxBytes-w.bytes, byBytes
	if w.lim.MaxBytes <= 0 {
		room = 1 << 62
	}
	if w.lim.MaxRatio > 0 {
		if r := max(w.lim.ratioFloor(), w.lim.MaxRatio*lv.compressed) - lv.read; r < room {
			room, by = r, byRatio
		}
		if r := max(BombFloor, BombRatio*lv.compressed) - lv.read; r < room {
			room, by = r, byBomb
		}
		if run := w.lim.Run; run != nil {
			// What the level has read past its free part is already
			// charged: the budget left is all that is left to it.
			if r := max(0, w.lim.runFree(lv)-lv.read) + max(0, run.left.Load()); r < room {
				room, by = r, byRun
			}
		}
	}
	return room, by
}

// window is the largest window an LZMA decoder reading for lv gets: the
// decoder fills its whole window before it hands out a byte, so a 6 KB
// .lzma of 25 MiB of zeros declaring 64 MiB was decoded whole in one Read,
// 0.3 CPU s, however early the level's limits stopped reading it (qa15
// HIGH-14). Output past room is never read, and a match never reaches
// further back than the output so far, so a window of room decodes all
// that will be read. At least lzma.MinDictCap.
func (w *walker) window(lv *level) int64 {
	room, _ := w.room(lv)
	return max(lzma.MinDictCap, min(room, maxWindow))
}

// meter wraps a decompressed stream so that every byte read is charged to
// the walk's budget and the level's ratio.
func (w *walker) meter(r io.Reader, lv *level) io.Reader {
	return &meter{w: w, lv: lv, r: r}
}

type meter struct {
	w   *walker
	lv  *level
	r   io.Reader
	err error
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	room, by := m.w.room(m.lv)
	run := m.w.lim.Run
	if m.w.lim.MaxRatio <= 0 {
		run = nil
	}
	if room <= 0 {
		switch by {
		case byBytes:
			m.err = &limitError{fmt.Sprintf("more than %d decompressed bytes ([archives] max_bytes): the rest of the archive is not scanned", m.w.lim.MaxBytes), true}
		case byRun:
			m.err = &limitError{fmt.Sprintf("expands more than %d times ([archives] max_ratio) after this run's archives gave %d bytes past that ratio, its budget (a folder or push of compression bombs?): the rest of it is not scanned", m.w.lim.MaxRatio, run.size), false}
		case byBomb:
			m.err = &limitError{fmt.Sprintf("expands more than %d times past its first MiB (a compression bomb: no text compresses so): the rest of it is not scanned", BombRatio), false}
		default:
			m.err = &limitError{fmt.Sprintf("expands more than %d times ([archives] max_ratio; a zip bomb?): the rest of it is not scanned", m.w.lim.MaxRatio), false}
		}
		m.lv.stopped = by != byBytes
		return 0, m.err
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := m.r.Read(p)
	m.w.bytes += int64(n)
	m.lv.read += int64(n)
	if run != nil {
		if over := m.lv.read - m.w.lim.runFree(m.lv); over > 0 {
			c := min(over, int64(n))
			run.left.Add(-c)
			m.lv.charged += c
		}
	}
	return n, err
}

// member reads one member from r and hands it on, or opens it when it is an
// archive itself. It reports false when the walk must stop.
func (w *walker) member(archive, memberPath string, r io.Reader, depth int) bool {
	if w.stopped || w.ctx.Err() != nil {
		return false
	}
	name := archive + "!" + memberPath
	if max := w.lim.MaxMembers; max > 0 {
		// Each archive has its own count: a fat jar's libraries do not
		// use up the jar's. The total over every level bounds nesting.
		if w.counts == nil {
			w.counts = map[string]int{}
		}
		if w.counts[archive] >= max {
			w.tooMany(archive)
			return false
		}
		w.counts[archive]++
		w.members++
		if w.members > max*TotalMembers {
			w.warn(w.top, "more than %d members in all, nested archives included (%d times [archives] max_members): the rest are not scanned", max*TotalMembers, TotalMembers)
			w.stopped = true
			return false
		}
	}
	if unsafeName(memberPath) {
		w.note(name, "member name points outside the archive (absolute or ..): scanned, not extracted")
	}
	data, err := io.ReadAll(io.LimitReader(r, w.lim.MaxMemberSize+1))
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.named(archive, memberPath)
		w.limitHit(archive, le)
		return false
	}
	if err != nil {
		w.unread(archive, memberPath, "unreadable member: %v", err)
		if len(data) == 0 {
			return true
		}
		// What was read before the error is scanned, the gap named all
		// the same: a stream cut short (a download or a log rotation
		// stopped half way) or a bad checksum at its end lost the key
		// pair of its first lines, which zcat prints (qa34 3).
	}
	if int64(len(data)) > w.lim.MaxMemberSize {
		w.stats.TooLarge++
		w.unread(archive, memberPath, "member larger than %d bytes (max_file_size): not scanned", w.lim.MaxMemberSize)
		return true
	}
	if ps, more := locateAll(name, data); len(ps) > 0 || more != restNone {
		if depth < w.lim.MaxDepth {
			w.yield(Member{Name: name, Data: data, Raw: true})
			w.openParts(name, memberPath, data, ps, more, depth+1)
			return !w.stopped
		}
		if w.lim.Outer > 0 {
			w.warn(name, "archive nested more than %d deep (--max-archive-depth, an encoded run or a patch's hunk counting as a level): not opened", w.lim.MaxDepth+w.lim.Outer)
		} else {
			w.warn(name, "archive nested more than %d deep (--max-archive-depth): not opened", w.lim.MaxDepth)
		}
	}
	w.stats.Members++
	w.yield(Member{Name: name, Data: data})
	w.keepTables(archive, memberPath, data)
	return true
}

// tooMany warns, once per archive, that it has more members than
// max_members.
func (w *walker) tooMany(archive string) {
	if w.counts == nil {
		w.counts = map[string]int{}
	}
	if w.counts[archive] <= w.lim.MaxMembers {
		w.warn(archive, "more than %d members ([archives] max_members): the rest of its members are not scanned", w.lim.entries())
		w.counts[archive] = w.lim.MaxMembers + 1
	}
}

// entries is the most entries of one archive's directory a reader keeps
// in memory: max_members, or with no limit the most one walk reads in all.
// An archive's header may declare far more entries than it has bytes for
// their memory (a 7z's 30 million empty entries), and entries past the
// limit would not be read.
func (l Limits) entries() int {
	if l.MaxMembers > 0 {
		return l.MaxMembers
	}
	return DefaultMaxMembers * TotalMembers
}

// limitHit warns of a limit once and stops what it applies to.
func (w *walker) limitHit(archive string, le *limitError) {
	if le.whole {
		archive = w.top
		w.stopped = true
	}
	w.warn(archive, "%s", le.msg)
}

// unsafeName reports whether a member name would land outside a folder it
// were extracted to: absolute, a drive letter, or a ".." element.
func unsafeName(n string) bool {
	n = strings.ReplaceAll(n, `\`, "/")
	if path.IsAbs(n) || len(n) >= 2 && n[1] == ':' {
		return true
	}
	for _, e := range strings.Split(n, "/") {
		if e == ".." {
			return true
		}
	}
	return false
}
