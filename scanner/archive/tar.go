package archive

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
)

// maxHeaderBytes bounds the header bytes of one tar member handed on as a
// Raw member: Go's archive/tar reads a PAX or GNU long-name record of at
// most 1 MiB; the rest is not kept.
const maxHeaderBytes = 2 << 20

// tar reads the files of a tar stream in order. Skipping a member's
// content reads it through r, so what a compressed tar skips is charged to
// the limits too. With headers set (a tar decompressed from a stream, whose
// bytes are never whole in memory), the header blocks read before each
// member (its name, link name, owner names, PAX and GNU long-name records)
// are yielded as a Raw member named after the archive, before the member:
// a key in a PAX comment of a .tgz is found as in a plain .tar.
//
// A member of type 7 (contiguous) or of a type tar does not know is read as
// a regular file, as GNU tar extracts it; only the types that carry no data
// (links, devices, folders, FIFOs, the PAX global header) are passed over.
//
// The end-of-archive blocks do not end the stream: `cat a.tgz b.tgz` (gzip
// reads both streams as one) and `cat a.tar b.tar` put a second archive
// after them, which `tar --ignore-zeros` extracts. After the zero blocks the
// next non-zero block is read as a tar header; when it is not one, what
// follows is trailing data, handed on as a Raw member of a decompressed
// tar (up to the member limit, with a warning beyond it) so that no byte of
// a .tgz goes unread.
func (w *walker) tar(name string, r io.Reader, lv *level, depth int, headers bool) {
	rec := &recorder{r: r, max: min(maxHeaderBytes, w.lim.MaxMemberSize)}
	tr := tar.NewReader(rec)
	for {
		if headers {
			// The rest of the last member (over the member limit, or not a
			// regular file) is read here, not recorded; Next then reads the
			// padding and the next header blocks.
			io.Copy(io.Discard, tr)
			rec.on = true
		}
		hdr, err := tr.Next()
		rec.on = false
		if !zeros(rec.buf) {
			w.yield(Member{Name: name, Data: rec.buf, Raw: true, Offset: rec.start})
		}
		rec.buf = rec.buf[:0]
		if err == io.EOF {
			if !w.afterEnd(name, rec, headers) {
				return
			}
			tr = tar.NewReader(rec)
			continue
		}
		if le := (*limitError)(nil); errors.As(err, &le) {
			w.limitHit(name, le)
			return
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			w.warn(name, "corrupt tar archive: %v", err)
			return
		}
		if noData(hdr.Typeflag) {
			continue
		}
		if !w.member(name, hdr.Name, tr, depth) || lv.stopped {
			return
		}
	}
}

// noData reports whether a tar member type carries no content of its own.
func noData(t byte) bool {
	switch t {
	case tar.TypeLink, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeDir, tar.TypeFifo, tar.TypeXGlobalHeader:
		return true
	}
	return false
}

// afterEnd reads past the zero blocks that follow a tar's end-of-archive
// blocks. It reports true when another tar header follows, put back in rec
// for a new reader; otherwise it hands on what follows as trailing data (a
// decompressed tar's only: an in-memory tar's bytes are scanned whole by
// the caller) and reports false.
func (w *walker) afterEnd(name string, rec *recorder, headers bool) bool {
	var blk [512]byte
	for {
		n, err := io.ReadFull(rec, blk[:])
		if n == 0 || err == io.ErrUnexpectedEOF && zeros(blk[:n]) {
			w.readErr(name, err)
			return false
		}
		if err == nil && zeros(blk[:]) {
			continue
		}
		if err == nil && isTar(blk[:]) {
			rec.unread(blk[:])
			return true
		}
		if !headers {
			return false
		}
		// Trailing data: at most the member limit of it is handed on.
		rest, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(blk[:n]), rec), w.lim.MaxMemberSize+1))
		start := rec.read - int64(len(rest))
		if int64(len(rest)) > w.lim.MaxMemberSize {
			rest = rest[:w.lim.MaxMemberSize]
			w.stats.TooLarge++
			w.warn(name, "more than %d bytes after the end of the tar archive (max_file_size): the rest is not scanned", w.lim.MaxMemberSize)
		}
		w.yield(Member{Name: name, Data: rest, Raw: true, Offset: start})
		w.readErr(name, err)
		return false
	}
}

// readErr reports an error met reading past a tar's end: a limit hit, or
// a stream corrupt there (what it held is not scanned). An end of file,
// early or not, only ends the reading.
func (w *walker) readErr(name string, err error) {
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.limitHit(name, le)
	} else if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		w.warn(name, "corrupt data after the end of the tar archive: %v", err)
	}
}

// recorder keeps the bytes read through it while on, up to max.
type recorder struct {
	r   io.Reader
	on  bool
	buf []byte
	max int64
	// read counts the bytes read through it; start is where buf begins.
	read, start int64
	// back holds bytes put back, read again before r's.
	back []byte
}

// unread puts b, the last bytes read, back to be read again.
func (c *recorder) unread(b []byte) {
	c.back = append(append([]byte(nil), b...), c.back...)
	c.read -= int64(len(b))
}

func (c *recorder) Read(p []byte) (int, error) {
	var n int
	var err error
	if len(c.back) > 0 {
		n = copy(p, c.back)
		c.back = c.back[n:]
	} else {
		n, err = c.r.Read(p)
	}
	if c.on && len(c.buf) == 0 {
		c.start = c.read
	}
	c.read += int64(n)
	if room := c.max - int64(len(c.buf)); c.on && n > 0 && room > 0 {
		c.buf = append(c.buf, p[:min(int64(n), room)]...)
	}
	return n, err
}

// zeros reports whether b holds nothing but NUL bytes (the end-of-archive
// blocks, padding): nothing to scan.
func zeros(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
