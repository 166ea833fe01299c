package history

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/keyscan/keyscan/internal/lfs"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
)

type blobStatus uint8

const (
	blobPending blobStatus = iota
	blobScanned
	blobTooLarge
	blobLFS
	blobFailed
	blobBefore // committed before Options.Since: not read
)

// blobResult is what reading and scanning one blob gave. Each is written by
// the one worker that reads that blob.
type blobResult struct {
	status   blobStatus
	size     int64
	err      string
	findings scanner.Findings
	raw      []string // the text as written, for each encoded finding (parallel to findings; "" when plain)
	content  content.Result
	archive  bool // a blob over the size limits had an archive's head
	lfs      bool // the blob is a Git LFS pointer; its content was scanned, or is over the size limit
	// goCost and goFiles are the type-checking work its Go files would
	// take, and how many there are, when the type check was left to
	// goPass (see goDeferred).
	goCost  int64
	goFiles int
	goOver  int // its Go files too large to type-check (content.GoTooLarge)
}

func (r *blobResult) fail(msg string) { r.status, r.err = blobFailed, msg }

func (r *blobResult) tooLarge(size int64) { r.status, r.size = blobTooLarge, size }

// tooLarge reports whether a blob is over MaxBlobSize and not an archive
// that content.Options.OpensLarge reads all the same.
func (s *scan) tooLarge(data []byte) bool {
	max := s.opts.MaxBlobSize
	return max > 0 && int64(len(data)) > max && !s.opts.Content.OpensLarge(int64(len(data)), data)
}

// scanBlob classifies and scans the blob's data with the content options
// o (s.firstPass or s.goOn).
func (s *scan) scanBlob(id int32, data []byte, o blobOptions) {
	r := &s.results[id]
	r.size = int64(len(data))
	if s.tooLarge(data) {
		r.status = blobTooLarge
		r.archive = archive.Detect(data[:min(len(data), archive.HeadSize)]) != archive.None || archive.Behind(data) != archive.None
		return
	}
	path := s.blobs[id].path
	r.status = blobScanned
	ptr, isPointer := lfs.Parse(data)
	if !isPointer {
		r.content, r.findings, r.raw = s.scanData(path, data, false, o(r, path, s.blobs[id].commit))
		return
	}
	// A Git LFS pointer: its own bytes are git content like any other
	// (cloned, shown by git show), and the content it names is the file.
	_, r.findings, r.raw = s.scanData(path, data, false, o(r, path, s.blobs[id].commit))
	body, tooLarge, isArchive, err := s.lfsContent(path, ptr)
	switch {
	case tooLarge:
		r.tooLarge(ptr.Size)
		r.archive, r.lfs = isArchive, true
		return
	case errors.Is(err, lfs.ErrAbsent):
		r.status, r.err = blobLFS, fmt.Sprintf("Git LFS pointer: its content (%d bytes, sha256 %s) is not in this repository's lfs/objects, only on the LFS server, and was not scanned", ptr.Size, ptr.OID)
		return
	case err != nil:
		r.status, r.err = blobLFS, fmt.Sprintf("Git LFS pointer: its content (sha256 %s) was not scanned: %v", ptr.OID, err)
		return
	}
	r.size = int64(len(body))
	r.lfs = true
	var findings scanner.Findings
	var raw []string
	r.content, findings, raw = s.scanData(path, body, true, o(r, path, s.blobs[id].commit))
	r.findings, r.raw = append(r.findings, findings...), append(r.raw, raw...)
	if len(r.findings) == 0 {
		r.findings, r.raw = nil, nil
	}
}

// scanData scans data under path: the content result without its
// findings, the findings (nil when none) and, parallel to them, the text
// as written of each encoded one ("" when plain), or, for a value no
// replacement of text can reach, opaqueMark and why (see Opaque). lfs
// says data is a Git LFS object's content, not the blob's.
func (s *scan) scanData(path string, data []byte, lfs bool, o content.Options) (content.Result, scanner.Findings, []string) {
	c := content.Scan(s.ctx, s.sc, path, data, o)
	findings := c.Findings
	c.Findings = nil
	if len(findings) == 0 {
		return c, nil, nil
	}
	raw := make([]string, len(findings))
	binary := bytes.IndexByte(data[:min(len(data), filterRepoBinary)], 0) >= 0
	for i, f := range findings {
		switch {
		case lfs:
			raw[i] = opaqueMark + "in a Git LFS object (" + f.File + ")"
		case f.File != path && strings.HasSuffix(path, ".go") && strings.HasSuffix(f.File, ".go") && !strings.Contains(f.File, "!"):
			// another Go file of the blob's folder, type-checked with it
			// (gosnap.go): a key its constants fold, whose text is not data's
		case f.File != path:
			raw[i] = opaqueMark + "inside an archive member or a compressed file (" + f.File + ")"
		case binary:
			raw[i] = opaqueMark + "in a binary file (" + f.File + ")"
		case f.Encoding != "" && f.Offset >= 0 && f.Offset < f.EndOffset && f.EndOffset <= len(data):
			raw[i] = string(data[f.Offset:f.EndOffset])
		}
	}
	return c, findings, raw
}

// filterRepoBinary is how far git filter-repo looks for a NUL byte to
// call a blob binary, which --replace-text then leaves as it is
// (git_filter_repo.py: "if blob is binary data" looks at the first 8 KiB).
const filterRepoBinary = 8192

// opaqueMark starts a raw entry that is no written form but the reason a
// value cannot be scrubbed by replacing text; a NUL never starts text as
// written.
const opaqueMark = "\x00"

// collectResults counts the outcomes and turns the problems into warnings,
// in blob order so the report does not depend on scheduling.
func (s *scan) collectResults() {
	for id := range s.results {
		r := &s.results[id]
		b := s.blobs[id]
		switch r.status {
		case blobScanned:
			s.stats.Scanned++
			if r.lfs {
				s.stats.LFSScanned++
			}
			s.stats.Bytes += r.size
			c := &r.content
			s.stats.Binary += c.Binary + c.SkippedBinary
			var object string
			if len(c.Warnings) > 0 {
				object = b.hash.String() // only a warning names it
			}
			s.addContent(object, c)
			c.Warnings = nil
		case blobTooLarge:
			s.stats.TooLarge++
			what := "blob of "
			if r.lfs {
				what = "Git LFS file of " // its content's size, which its pointer states
			}
			s.warn(b.hash.String(), b.path, what+s.tooLargeMessage(r.size, b.path, r.archive))
		case blobLFS:
			s.stats.LFS++
			s.warn(b.hash.String(), b.path, r.err)
		case blobFailed:
			s.stats.Failed++
			s.warn(b.hash.String(), b.path, r.err)
		case blobBefore:
		case blobPending:
			s.stats.Failed++
			s.warn(b.hash.String(), b.path, "blob was not read")
		}
	}
}

// addContent counts what the content scan c of a blob or message (object,
// which only its warnings use: "" when it has none) opened and left out,
// and turns its warnings into the scan's.
func (s *scan) addContent(object string, c *content.Result) {
	s.stats.Archives += c.Archive.Archives
	s.stats.Members += c.Archive.Members
	s.stats.ArchiveUnscanned += c.Archive.Unscanned
	s.stats.ArchiveTooLarge += c.Archive.TooLarge
	s.stats.Unlisted += c.Unlisted
	s.stats.Undecoded += c.Undecoded
	s.stats.Unchecked += c.Unchecked
	for _, w := range c.Warnings {
		s.warn(object, w.Path, w.Message)
	}
}

// tooLargeMessage says why a blob of size bytes was skipped, and which
// setting reads it (content.Options.TooLarge, as scan says it): an archive
// is known by its head when it was read, by its name when not.
func (s *scan) tooLargeMessage(size int64, path string, isArchive bool) string {
	isArchive = isArchive || content.ArchiveName(path)
	return s.opts.Content.TooLarge(size, isArchive, s.opts.MaxBlobSize)
}
