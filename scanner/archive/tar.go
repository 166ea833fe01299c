package archive

import (
	"archive/tar"
	"errors"
	"io"
)

// maxHeaderBytes bounds the header bytes of one tar member handed on as a
// Raw member: Go's archive/tar reads a PAX or GNU long-name record of at
// most 1 MiB; the rest is not kept.
const maxHeaderBytes = 2 << 20

// tar reads the regular files of a tar stream in order. Skipping a member's
// content reads it through r, so what a compressed tar skips is charged to
// the limits too. With headers set (a tar decompressed from a stream, whose
// bytes are never whole in memory), the header blocks read before each
// member (its name, link name, owner names, PAX and GNU long-name records)
// are yielded as a Raw member named after the archive, before the member:
// a key in a PAX comment of a .tgz is found as in a plain .tar.
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
			return
		}
		if le := (*limitError)(nil); errors.As(err, &le) {
			w.limitHit(name, le)
			return
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			w.warn(name, "corrupt tar archive: %v", err)
			return
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if !w.member(name, hdr.Name, tr, depth) || lv.stopped {
			return
		}
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
}

func (c *recorder) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
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
