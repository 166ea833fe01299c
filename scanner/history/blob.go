package history

import (
	"bytes"
	"fmt"

	"github.com/keyscan/keyscan/scanner"
)

type blobStatus uint8

const (
	blobPending blobStatus = iota
	blobScanned
	blobBinary
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
}

func (r *blobResult) fail(msg string) { r.status, r.err = blobFailed, msg }

func (r *blobResult) tooLarge(size int64) { r.status, r.size = blobTooLarge, size }

// binarySniffLen is how much of a blob is checked for a NUL byte, as git
// does to tell binary files from text.
const binarySniffLen = 8000

var lfsPointer = []byte("version https://git-lfs.github.com/spec/")

// scanBlob classifies and scans the blob's data.
func (s *scan) scanBlob(id int32, data []byte) {
	r := &s.results[id]
	r.size = int64(len(data))
	if max := s.opts.MaxBlobSize; max > 0 && r.size > max {
		r.status = blobTooLarge
		return
	}
	if len(data) < 1024 && bytes.HasPrefix(data, lfsPointer) {
		r.status = blobLFS
		return
	}
	if bytes.IndexByte(data[:min(len(data), binarySniffLen)], 0) >= 0 {
		r.status = blobBinary
		return
	}
	r.status = blobScanned
	r.findings = s.sc.Scan(s.blobs[id].path, data)
	if len(r.findings) == 0 {
		r.findings = nil
		return
	}
	r.raw = make([]string, len(r.findings))
	for i, f := range r.findings {
		if f.Encoding != "" && f.Offset >= 0 && f.Offset < f.EndOffset && f.EndOffset <= len(data) {
			r.raw[i] = string(data[f.Offset:f.EndOffset])
		}
	}
}

// collectResults counts the outcomes and turns the problems into warnings,
// in blob order so the report does not depend on scheduling.
func (s *scan) collectResults() {
	for id := range s.results {
		r := &s.results[id]
		b := s.blobs[id]
		switch r.status {
		case blobScanned:
			s.stats.Scanned++
			s.stats.Bytes += r.size
		case blobBinary:
			s.stats.Binary++
		case blobTooLarge:
			s.stats.TooLarge++
			s.warn(b.hash.String(), b.path, fmt.Sprintf("blob of %d bytes skipped: larger than max_file_size (%d bytes)", r.size, s.opts.MaxBlobSize))
		case blobLFS:
			s.stats.LFS++
			s.warn(b.hash.String(), b.path, "Git LFS pointer: the file's content is on the LFS server, not in the repository, and was not scanned")
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
