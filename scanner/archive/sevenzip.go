package archive

import (
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/bits"
	"unicode/utf16"

	"github.com/ulikunitz/xz/lzma"
)

// A 7z archive (7-Zip's own format, the default of `7z a`) keeps its
// directory at the end: a 32-byte signature header points to a header that
// lists the packed streams, the folders that decode them (a chain of coders:
// LZMA2, LZMA, a BCJ filter, ...), how each folder's output is cut into the
// files' contents (substreams: a solid archive packs many files into one
// folder), and the file names. By default the header is itself packed (an
// "encoded header": a folder whose output is the header).
//
// Every number in it is untrusted. Counts are bounded by the header bytes
// left (each item takes at least one byte), offsets and packed sizes by the
// archive's length, and no allocation is made from a declared size: packed
// streams are slices of the input, decoded streams are read through the
// walk's meter, and an encoded header is read up to maxSevenZipHeader.
// A count bounded by the header's bytes is not enough where each item
// costs more memory than the byte it takes (qa14 HIGH-8: 30 million files
// in a 31 MB header of zeros took 810 MB), so the items kept are also
// bounded by the archive's member limit (sevenZip.max): entries and
// substreams past it are read over, not kept, and an archive with more
// folders or packed streams than that is not opened. Coders are bounded as
// 7-Zip bounds them.

// sevenZipSignature starts every 7z archive.
var sevenZipSignature = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}

// maxSevenZipHeader bounds a decoded 7z header: 10000 files with long names
// take about 2 MiB.
const maxSevenZipHeader = 32 << 20

// maxSevenZipCoders bounds the coders of a folder and the streams of its
// coders, as 7-Zip's own reader does (k_Scan_NumCoders_MAX): real folders
// have one to four.
const maxSevenZipCoders = 64

// Property IDs of the 7z header (7-Zip's DOC/7zFormat.txt).
const (
	idEnd = iota
	idHeader
	idArchiveProperties
	idAdditionalStreamsInfo
	idMainStreamsInfo
	idFilesInfo
	idPackInfo
	idUnpackInfo
	idSubStreamsInfo
	idSize
	idCRC
	idFolder
	idCodersUnpackSize
	idNumUnpackStream
	idEmptyStream
	idEmptyFile
	idAnti
	idName
	idCTime
	idATime
	idMTime
	idWinAttributes
	idComment
	idEncodedHeader
	idStartPos
	idDummy
)

// szCoder is one step of a folder's decoding.
type szCoder struct {
	id         []byte
	props      []byte
	ins, outs  int // streams on the packed side and on the decoded side
	firstIn    int // index of its first in stream in the folder
	firstOut   int // index of its first out stream in the folder
	unpackSize uint64
}

// idFolder is a chain of coders that turns packed streams into one output.
type szFolder struct {
	coders   []szCoder
	bindIn   []uint64 // bind pair i joins in stream bindIn[i] ...
	bindOut  []uint64 // ... to out stream bindOut[i]
	packed   []uint64 // in streams fed from packed streams, in order
	sizes    []uint64 // unpack size of each out stream
	firstPak int      // index of its first packed stream in the archive
	hasCRC   bool     // its output's CRC is given
	// subSizes are the sizes of the files' contents in its output.
	subSizes []uint64
}

// szStreams is a StreamsInfo: packed streams and the folders over them.
type szStreams struct {
	packPos   uint64
	packSizes []uint64
	folders   []szFolder
}

// szFile is one entry of the archive.
type szFile struct {
	name      string
	hasData   bool // a content in a folder's output (not an empty stream)
	emptyFile bool // an empty stream that is a file, not a folder
	isAnti    bool // a deletion marker of an update archive
}

// sevenZip is an archive read from its header.
type sevenZip struct {
	data    []byte
	streams szStreams
	files   []szFile
	// max is the most entries (and substreams, and folders) kept.
	max int
	// declared is how many entries the header declares; more than max
	// means the entries past files were not kept.
	declared int
	// window, when not 0, bounds an LZMA coder's dictionary: the most
	// output of the folder that will be read (walker.window).
	window int64
}

// szReader reads the numbers and bytes of a header.
type szReader struct {
	b   []byte
	err error
}

var errSzShort = errors.New("header ends early")

// errSzTooMany marks an archive of more folders than its entries kept:
// not corrupt, but not read.
var errSzTooMany = errors.New("more than [archives] max_members")

func (r *szReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *szReader) byte() byte {
	if len(r.b) == 0 {
		r.fail(errSzShort)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *szReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail(errSzShort)
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

// number reads 7z's variable-length integer: the leading one bits of the
// first byte say how many bytes follow.
func (r *szReader) number() uint64 {
	first := r.byte()
	var v uint64
	mask := byte(0x80)
	for i := 0; i < 8; i++ {
		if first&mask == 0 {
			return v | uint64(first&(mask-1))<<(8*i)
		}
		v |= uint64(r.byte()) << (8 * i)
		mask >>= 1
	}
	return v
}

// count reads a number of items, each of which takes at least per bytes of
// what is left of the header: a count the header cannot hold is corrupt.
func (r *szReader) count(what string, per int) int {
	n := r.number()
	if r.err == nil && n > uint64(len(r.b)/per) {
		r.fail(fmt.Errorf("%d %s in a header of %d bytes", n, what, len(r.b)))
		return 0
	}
	return int(n)
}

// bits reads a bit vector of n items, most significant bit first.
func (r *szReader) bits(n int) []bool {
	v, _ := r.bitsKept(n, n)
	return v
}

// bitsKept reads a bit vector of n items and returns its first keep items
// and how many of the n are set: the rest of a vector longer than what is
// kept costs no memory.
func (r *szReader) bitsKept(n, keep int) ([]bool, int) {
	b := r.bytes(uint64(n+7) / 8)
	if r.err != nil {
		return nil, 0
	}
	v := make([]bool, min(n, keep))
	for i := range v {
		v[i] = b[i/8]&(0x80>>(i%8)) != 0
	}
	set := 0
	for i, c := range b {
		if i == len(b)-1 && n%8 != 0 {
			c &= 0xff << (8 - n%8)
		}
		set += bits.OnesCount8(c)
	}
	return v, set
}

// defined reads an "all defined" byte and, when 0, a bit vector.
func (r *szReader) defined(n int) []bool {
	if r.byte() == 0 {
		return r.bits(n)
	}
	if r.err != nil {
		return nil
	}
	v := make([]bool, n)
	for i := range v {
		v[i] = true
	}
	return v
}

// digests skips a list of CRCs of n items and says which are given.
func (r *szReader) digests(n int) []bool {
	d := r.defined(n)
	for _, ok := range d {
		if ok {
			r.bytes(4)
		}
	}
	return d
}

// skipDigests skips a list of CRCs of n items without keeping which are
// given: n may be as large as the header allows.
func (r *szReader) skipDigests(n int) {
	given := n
	if r.byte() == 0 {
		_, given = r.bitsKept(n, 0)
	}
	if r.err == nil {
		r.bytes(4 * uint64(given))
	}
}

// skipProperty skips a property whose size follows its ID.
func (r *szReader) skipProperty() {
	r.bytes(r.number())
}

// expect reads one property ID and fails unless it is id.
func (r *szReader) expect(id byte) {
	if got := r.byte(); r.err == nil && got != id {
		r.fail(fmt.Errorf("property %#x where %#x was expected", got, id))
	}
}

// parseSevenZip reads the archive's header, decoding it when it is packed
// (decode is the walk's folder decoder, which charges what it decodes).
// At most max entries, substreams and folders are kept.
func parseSevenZip(data []byte, max int, decode func(z *sevenZip, f *szFolder, max int64) ([]byte, error)) (*sevenZip, error) {
	if len(data) < 32 || !bytes.HasPrefix(data, sevenZipSignature) {
		return nil, errors.New("no 7z signature header")
	}
	if crc32.ChecksumIEEE(data[12:32]) != binary.LittleEndian.Uint32(data[8:12]) {
		return nil, errors.New("signature header CRC mismatch")
	}
	off := binary.LittleEndian.Uint64(data[12:20])
	size := binary.LittleEndian.Uint64(data[20:28])
	rest := uint64(len(data) - 32)
	if off > rest || size > rest-off {
		return nil, fmt.Errorf("header at %d+%d past the end of the archive (%d bytes): truncated", 32+off, size, len(data))
	}
	z := &sevenZip{data: data, max: max}
	if size == 0 {
		return z, nil // an archive with nothing in it
	}
	hdr := data[32+off : 32+off+size]
	if crc32.ChecksumIEEE(hdr) != binary.LittleEndian.Uint32(data[28:32]) {
		return nil, errors.New("header CRC mismatch")
	}
	// A header may be encoded, and 7-Zip allows the result to be encoded
	// again; real archives do it once.
	for range 4 {
		r := &szReader{b: hdr}
		switch id := r.byte(); {
		case r.err != nil:
			return nil, r.err
		case id == idHeader:
			z.header(r)
			if r.err != nil {
				return nil, r.err
			}
			return z, nil
		case id == idEncodedHeader:
			var s szStreams
			z.streamsInfo(r, &s)
			if r.err != nil {
				return nil, r.err
			}
			if len(s.folders) == 0 {
				return nil, errors.New("encoded header without a folder")
			}
			enc := &sevenZip{data: data, streams: s, max: max}
			b, err := decode(enc, &enc.streams.folders[0], maxSevenZipHeader)
			if err != nil {
				return nil, fmt.Errorf("encoded header: %w", err)
			}
			hdr = b
		default:
			return nil, fmt.Errorf("header starts with property %#x", id)
		}
	}
	return nil, errors.New("header encoded more than 4 times")
}

// header reads a Header (after its ID).
func (z *sevenZip) header(r *szReader) {
	id := r.byte()
	if id == idArchiveProperties {
		for r.err == nil && r.byte() != idEnd {
			r.skipProperty()
		}
		id = r.byte()
	}
	if id == idAdditionalStreamsInfo {
		var extra szStreams
		z.streamsInfo(r, &extra)
		id = r.byte()
	}
	if id == idMainStreamsInfo {
		z.streamsInfo(r, &z.streams)
		id = r.byte()
	}
	if id == idFilesInfo {
		z.filesInfo(r)
		id = r.byte()
	}
	if r.err == nil && id != idEnd {
		r.fail(fmt.Errorf("property %#x where the header should end", id))
	}
}

// streamsInfo reads a StreamsInfo (after its ID).
func (z *sevenZip) streamsInfo(r *szReader, s *szStreams) {
	id := r.byte()
	if id == idPackInfo {
		s.packPos = r.number()
		n := r.count("packed streams", 1)
		if r.err == nil && n > 4*z.max {
			// Four per folder at most (BCJ2's), and folders are bounded
			// by max.
			r.fail(fmt.Errorf("%d packed streams, four times %w (%d)", n, errSzTooMany, z.max))
		}
		for r.err == nil {
			id = r.byte()
			if id == idEnd {
				break
			}
			switch id {
			case idSize:
				s.packSizes = make([]uint64, n)
				for i := range s.packSizes {
					s.packSizes[i] = r.number()
				}
			case idCRC:
				r.skipDigests(n)
			default:
				r.skipProperty()
			}
		}
		if r.err == nil && len(s.packSizes) != n {
			r.fail(errors.New("packed streams without sizes"))
		}
		id = r.byte()
	}
	if id == idUnpackInfo {
		z.unpackInfo(r, s)
		id = r.byte()
	}
	if id == idSubStreamsInfo {
		z.subStreamsInfo(r, s)
		id = r.byte()
	} else {
		for i := range s.folders {
			f := &s.folders[i]
			if size, ok := f.unpackSize(); ok {
				f.subSizes = []uint64{size}
			}
		}
	}
	if r.err == nil && id != idEnd {
		r.fail(fmt.Errorf("property %#x where the streams info should end", id))
	}
}

// unpackInfo reads the folders (CodersInfo, after its ID).
func (z *sevenZip) unpackInfo(r *szReader, s *szStreams) {
	r.expect(idFolder)
	n := r.count("folders", 2)
	if r.err == nil && n > z.max {
		r.fail(fmt.Errorf("%d folders (solid blocks), %w (%d)", n, errSzTooMany, z.max))
		return
	}
	if r.byte() != 0 {
		r.fail(errors.New("folders kept outside the header"))
		return
	}
	s.folders = make([]szFolder, 0, n)
	pak := 0
	for i := 0; i < n && r.err == nil; i++ {
		f := readFolder(r)
		f.firstPak = pak
		pak += len(f.packed)
		s.folders = append(s.folders, f)
	}
	if r.err != nil {
		return
	}
	if pak > len(s.packSizes) {
		r.fail(fmt.Errorf("folders read %d packed streams of %d", pak, len(s.packSizes)))
		return
	}
	r.expect(idCodersUnpackSize)
	for i := range s.folders {
		f := &s.folders[i]
		for j := range f.sizes {
			f.sizes[j] = r.number()
		}
		for j := range f.coders {
			c := &f.coders[j]
			if c.outs > 0 {
				c.unpackSize = f.sizes[c.firstOut]
			}
		}
	}
	for r.err == nil {
		id := r.byte()
		if id == idEnd {
			return
		}
		if id == idCRC {
			for i, ok := range r.digests(len(s.folders)) {
				s.folders[i].hasCRC = ok
			}
			continue
		}
		r.skipProperty()
	}
}

// readFolder reads one Folder: its coders and how their streams are bound.
func readFolder(r *szReader) szFolder {
	var f szFolder
	nc := r.count("coders", 1)
	if nc == 0 && r.err == nil {
		r.fail(errors.New("folder without coders"))
	}
	if nc > maxSevenZipCoders {
		r.fail(fmt.Errorf("folder of %d coders", nc))
	}
	f.coders = make([]szCoder, 0, nc)
	ins, outs := 0, 0
	for i := 0; i < nc && r.err == nil; i++ {
		flags := r.byte()
		if flags&0x80 != 0 {
			r.fail(errors.New("coder with alternative methods"))
			return f
		}
		c := szCoder{id: r.bytes(uint64(flags & 0x0f)), ins: 1, outs: 1, firstIn: ins, firstOut: outs}
		if flags&0x10 != 0 {
			c.ins = r.count("coder streams", 1)
			c.outs = r.count("coder streams", 1)
		}
		if flags&0x20 != 0 {
			c.props = r.bytes(r.number())
		}
		ins += c.ins
		outs += c.outs
		if r.err == nil && (ins > maxSevenZipCoders || outs > maxSevenZipCoders) {
			r.fail(fmt.Errorf("folder of more than %d coder streams", maxSevenZipCoders))
		}
		f.coders = append(f.coders, c)
	}
	if r.err != nil {
		return f
	}
	if outs == 0 {
		r.fail(errors.New("folder without an output"))
		return f
	}
	f.sizes = make([]uint64, outs)
	nb := outs - 1
	if nb > len(r.b)/2 {
		r.fail(errSzShort)
		return f
	}
	for range nb {
		f.bindIn = append(f.bindIn, r.number())
		f.bindOut = append(f.bindOut, r.number())
	}
	np := ins - nb
	if np < 1 {
		r.fail(errors.New("folder without a packed stream"))
		return f
	}
	if np == 1 {
		for i := range ins {
			if !contains(f.bindIn, uint64(i)) {
				f.packed = append(f.packed, uint64(i))
				break
			}
		}
		if len(f.packed) == 0 {
			r.fail(errors.New("every coder input is bound"))
		}
		return f
	}
	if np > len(r.b) {
		r.fail(errSzShort)
		return f
	}
	for range np {
		f.packed = append(f.packed, r.number())
	}
	return f
}

func contains(s []uint64, v uint64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// mainOut is the out stream of the folder that no bind pair consumes: the
// folder's output.
func (f *szFolder) mainOut() (int, bool) {
	for i := range f.sizes {
		if !contains(f.bindOut, uint64(i)) {
			return i, true
		}
	}
	return 0, false
}

// unpackSize is the size of the folder's output.
func (f *szFolder) unpackSize() (uint64, bool) {
	i, ok := f.mainOut()
	if !ok {
		return 0, false
	}
	return f.sizes[i], true
}

// subStreamsInfo reads how each folder's output is cut into files.
func (z *sevenZip) subStreamsInfo(r *szReader, s *szStreams) {
	nums := make([]uint64, len(s.folders))
	for i := range nums {
		nums[i] = 1
	}
	id := r.byte()
	if id == idNumUnpackStream {
		var total uint64
		for i := range nums {
			nums[i] = r.number()
			total += nums[i]
			if total > uint64(len(r.b))+uint64(len(s.folders)) || nums[i] > total {
				// Every file with content has an entry in the files info
				// that follows, which takes bytes.
				r.fail(errors.New("more substreams than the header can name"))
				return
			}
		}
		id = r.byte()
	}
	// Past z.max substreams in all, sizes are read over, not kept: the
	// members they are the contents of are past the member limit.
	kept := 0
	keep := func(f *szFolder, n uint64) {
		if kept < z.max {
			f.subSizes = append(f.subSizes, n)
			kept++
		}
	}
	for i := range s.folders {
		f := &s.folders[i]
		if nums[i] == 0 {
			continue
		}
		size, ok := f.unpackSize()
		if !ok {
			r.fail(errors.New("folder without an output"))
			return
		}
		var sum uint64
		if nums[i] > 1 && id != idSize {
			r.fail(errors.New("substreams without sizes"))
			return
		}
		for j := uint64(1); j < nums[i] && r.err == nil; j++ {
			n := r.number()
			sum += n
			if sum < n || sum > size {
				r.fail(errors.New("substream sizes over the folder's size"))
				return
			}
			keep(f, n)
		}
		keep(f, size-sum)
	}
	if id == idSize {
		id = r.byte()
	}
	for r.err == nil && id != idEnd {
		if id == idCRC {
			// The CRCs of the substreams whose folder does not give one.
			n := 0
			for i, f := range s.folders {
				if nums[i] != 1 || !f.hasCRC {
					n += int(nums[i])
				}
			}
			r.skipDigests(n)
		} else {
			r.skipProperty()
		}
		id = r.byte()
	}
}

// filesInfo reads the entries: names, and which ones have no content.
func (z *sevenZip) filesInfo(r *szReader) {
	n := r.count("files", 1)
	z.declared = n
	z.files = make([]szFile, min(n, z.max))
	var empty []bool // of the files kept, those with an empty stream
	nEmpty := 0      // of all the files
	for r.err == nil {
		id := r.byte()
		if id == idEnd {
			break
		}
		size := r.number()
		p := &szReader{b: r.bytes(size)}
		if r.err != nil {
			return
		}
		switch id {
		case idEmptyStream:
			empty, nEmpty = p.bitsKept(n, len(z.files))
		case idEmptyFile, idAnti:
			v, _ := p.bitsKept(nEmpty, len(z.files))
			j := 0
			for i := range z.files {
				if empty != nil && empty[i] && j < len(v) {
					if id == idEmptyFile {
						z.files[i].emptyFile = v[j]
					} else {
						z.files[i].isAnti = v[j]
					}
					j++
				}
			}
		case idName:
			if p.byte() != 0 {
				r.fail(errors.New("names kept outside the header"))
				return
			}
			names := p.b
			for i := range z.files {
				end := -1
				for k := 0; k+1 < len(names); k += 2 {
					if names[k] == 0 && names[k+1] == 0 {
						end = k
						break
					}
				}
				if end < 0 {
					r.fail(errors.New("file names end early"))
					return
				}
				u := make([]uint16, end/2)
				for k := range u {
					u[k] = binary.LittleEndian.Uint16(names[2*k:])
				}
				z.files[i].name = string(utf16.Decode(u))
				names = names[end+2:]
			}
		}
		if p.err != nil {
			r.fail(p.err)
		}
	}
	for i := range z.files {
		z.files[i].hasData = empty == nil || !empty[i]
	}
}

// Coder IDs keyscan decodes, and those it names in a warning.
var (
	szCopy    = []byte{0x00}
	szLZMA    = []byte{0x03, 0x01, 0x01}
	szLZMA2   = []byte{0x21}
	szBCJ     = []byte{0x03, 0x03, 0x01, 0x03}
	szDeflate = []byte{0x04, 0x01, 0x08}
	szBZip2   = []byte{0x04, 0x02, 0x02}
	szAES     = []byte{0x06, 0xf1, 0x07, 0x01}
	szNames   = map[string]string{
		"\x03\x03\x01\x1b": "BCJ2", "\x03\x04\x01": "PPMd", "\x04\x01\x09": "Deflate64",
		"\x03\x03\x02\x05": "PPC", "\x03\x03\x04\x01": "IA64", "\x03\x03\x05\x01": "ARM",
		"\x03\x03\x07\x01": "ARMT", "\x03\x03\x08\x05": "SPARC", "\x0a": "ARM64", "\x03": "Delta",
		"\x04\xf7\x11\x04": "LZ4", "\x04\xf7\x11\x01": "Zstandard", "\x04\xf7\x11\x02": "Brotli",
	}
)

// errEncrypted marks a folder that needs a password.
var errEncrypted = errors.New("encrypted (7zAES)")

// coderName names a coder for a warning.
func coderName(id []byte) string {
	if n, ok := szNames[string(id)]; ok {
		return n
	}
	return fmt.Sprintf("%x", id)
}

// folderReader returns the folder's decoded output. Each coder reads the
// stream bound to its input: another coder's output, or a packed stream
// (a slice of data).
func (z *sevenZip) folderReader(f *szFolder) (io.Reader, error) {
	out, ok := f.mainOut()
	if !ok {
		return nil, errors.New("folder without an output")
	}
	return z.coderOutput(f, out, 0)
}

// coderOutput returns the decoded stream out of folder f.
func (z *sevenZip) coderOutput(f *szFolder, out, depth int) (io.Reader, error) {
	if depth > len(f.coders) {
		return nil, errors.New("coders bound in a loop")
	}
	ci := -1
	for i, c := range f.coders {
		if c.firstOut <= out && out < c.firstOut+c.outs {
			ci = i
			break
		}
	}
	if ci < 0 {
		return nil, fmt.Errorf("no coder writes stream %d", out)
	}
	c := &f.coders[ci]
	if bytes.Equal(c.id, szAES) {
		return nil, errEncrypted
	}
	if c.ins != 1 || c.outs != 1 {
		return nil, fmt.Errorf("coder %s (%d inputs): not supported", coderName(c.id), c.ins)
	}
	in, err := z.coderInput(f, c.firstIn, depth)
	if err != nil {
		return nil, err
	}
	size := c.unpackSize
	switch {
	case bytes.Equal(c.id, szCopy):
		return io.LimitReader(in, int64(min(size, 1<<62))), nil
	case bytes.Equal(c.id, szLZMA):
		if len(c.props) != 5 {
			return nil, errors.New("LZMA coder with bad properties")
		}
		if dict := binary.LittleEndian.Uint32(c.props[1:]); dict > maxWindow {
			return nil, fmt.Errorf("LZMA coder asks for a dictionary over %d bytes", int64(maxWindow))
		}
		// The classic LZMA header is the coder's properties and the size.
		var h [13]byte
		copy(h[:5], c.props)
		if dict := binary.LittleEndian.Uint32(h[1:]); z.window > 0 && int64(dict) > z.window {
			binary.LittleEndian.PutUint32(h[1:], uint32(z.window))
		}
		binary.LittleEndian.PutUint64(h[5:], size)
		lr, err := lzma.ReaderConfig{DictCap: maxWindow}.NewReader(io.MultiReader(bytes.NewReader(h[:]), in))
		if err != nil {
			return nil, err
		}
		return lr, nil
	case bytes.Equal(c.id, szLZMA2):
		if len(c.props) != 1 || c.props[0] > 40 {
			return nil, errors.New("LZMA2 coder with bad properties")
		}
		p := c.props[0]
		dict := int64(2|p&1) << (p/2 + 11)
		if p == 40 || dict > maxWindow {
			return nil, fmt.Errorf("LZMA2 coder asks for a dictionary over %d bytes", int64(maxWindow))
		}
		// A dictionary larger than the output is never used whole.
		dict = max(lzma.MinDictCap, min(dict, int64(min(size, maxWindow))))
		lr, err := lzma.Reader2Config{DictCap: int(dict)}.NewReader2(in)
		if err != nil {
			return nil, err
		}
		return lr, nil
	case bytes.Equal(c.id, szDeflate):
		return flate.NewReader(in), nil
	case bytes.Equal(c.id, szBZip2):
		return bzip2.NewReader(in), nil
	case bytes.Equal(c.id, szBCJ):
		return newBCJ(in), nil
	}
	return nil, fmt.Errorf("coder %s: not supported", coderName(c.id))
}

// coderInput returns the stream read by in stream i of folder f: bound to
// another coder's output, or packed.
func (z *sevenZip) coderInput(f *szFolder, i, depth int) (io.Reader, error) {
	for k, in := range f.bindIn {
		if in == uint64(i) {
			if f.bindOut[k] >= uint64(len(f.sizes)) {
				return nil, errors.New("bind pair to a stream the folder does not have")
			}
			return z.coderOutput(f, int(f.bindOut[k]), depth+1)
		}
	}
	for k, p := range f.packed {
		if p == uint64(i) {
			return z.packed(f.firstPak + k)
		}
	}
	return nil, fmt.Errorf("coder input %d is neither bound nor packed", i)
}

// packed returns packed stream i, a slice of the archive.
func (z *sevenZip) packed(i int) (io.Reader, error) {
	s := &z.streams
	if i >= len(s.packSizes) {
		return nil, fmt.Errorf("packed stream %d of %d", i, len(s.packSizes))
	}
	start := s.packPos
	rest := uint64(len(z.data) - 32)
	for _, n := range s.packSizes[:i] {
		start += n
		if start > rest || start < n {
			return nil, errors.New("packed streams past the end of the archive: truncated")
		}
	}
	n := s.packSizes[i]
	if start > rest || n > rest-start {
		return nil, errors.New("packed stream past the end of the archive: truncated")
	}
	return bytes.NewReader(z.data[32+start : 32+start+n]), nil
}

// sevenZip reads the members of a 7z archive, folder by folder, each
// folder's output cut into its files' contents in order.
func (w *walker) sevenZip(name string, data []byte, lv *level, depth int) {
	decode := func(z *sevenZip, f *szFolder, max int64) ([]byte, error) {
		z.window = w.window(lv)
		r, err := z.folderReader(f)
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(w.meter(r, lv), max+1))
		if err != nil {
			return nil, err
		}
		if int64(len(b)) > max {
			return nil, fmt.Errorf("over %d bytes", max)
		}
		return b, nil
	}
	z, err := parseSevenZip(data, w.lim.entries(), decode)
	if le := (*limitError)(nil); errors.As(err, &le) {
		w.limitHit(name, le)
		return
	}
	if errors.Is(err, errEncrypted) {
		w.warn(name, "7z archive with an encrypted header (7zAES): not scanned")
		return
	}
	if errors.Is(err, errSzTooMany) {
		w.warn(name, "7z archive of %v: not opened", err)
		return
	}
	if err != nil {
		w.warn(name, "corrupt 7z archive: %v", err)
		return
	}
	files := z.files
	next := 0 // the next file with content
	nextData := func() (szFile, bool) {
		for next < len(files) {
			f := files[next]
			next++
			if f.hasData {
				return f, true
			}
		}
		return szFile{}, false
	}
	for fi := range z.streams.folders {
		f := &z.streams.folders[fi]
		var members []szFile
		for range f.subSizes {
			m, ok := nextData()
			if !ok && z.declared > len(files) {
				break // the entries past those kept
			}
			if !ok {
				w.warn(name, "corrupt 7z archive: more contents than files")
				return
			}
			members = append(members, m)
		}
		if len(members) == 0 {
			continue
		}
		if !w.sevenZipFolder(name, z, f, members, lv, depth) {
			return
		}
	}
	// Empty files are members too (a credentials file emptied on purpose
	// says nothing, but is scanned as any other).
	for _, f := range files {
		if !f.hasData && f.emptyFile && !f.isAnti {
			if !w.member(name, f.name, bytes.NewReader(nil), depth) {
				return
			}
		}
	}
	if z.declared > len(files) {
		w.tooMany(name)
	}
}

// sevenZipFolder reads one folder's members; false stops the walk.
func (w *walker) sevenZipFolder(name string, z *sevenZip, f *szFolder, members []szFile, lv *level, depth int) bool {
	z.window = w.window(lv)
	r, err := z.folderReader(f)
	if err != nil {
		more := ""
		if len(members) > 1 {
			more = fmt.Sprintf(" (and the %d other members of its solid block)", len(members)-1)
		}
		if errors.Is(err, errEncrypted) {
			w.unread(name, members[0].name, "encrypted member (7zAES)%s: not scanned", more)
		} else {
			w.unread(name, members[0].name, "unreadable member%s: %v", more, err)
		}
		for _, m := range members[1:] {
			w.named(name, m.name)
		}
		return true
	}
	sticky := &stickyReader{r: w.meter(r, lv)}
	for i, m := range members {
		lr := io.LimitReader(sticky, int64(min(f.subSizes[i], 1<<62)))
		if !w.member(name, m.name, lr, depth) || lv.stopped {
			return false
		}
		// The rest of a member over the size limit is read, not kept, to
		// reach the next one.
		io.Copy(io.Discard, lr)
		if left := lr.(*io.LimitedReader).N; left > 0 && sticky.err == nil {
			// The folder's output ended before the member did.
			w.warn(name+"!"+m.name, "member ends %d bytes early: the archive is truncated or corrupt", left)
			sticky.err = io.ErrUnexpectedEOF
		}
		if le := (*limitError)(nil); errors.As(sticky.err, &le) {
			w.limitHit(name, le)
			return !w.stopped
		}
		if sticky.err != nil {
			if rest := len(members) - i - 1; rest > 0 {
				w.unread(name, members[i+1].name, "unreadable member (and the %d after it in its solid block): %v", rest-1, sticky.err)
				for _, m := range members[i+2:] {
					w.named(name, m.name)
				}
			}
			return true
		}
	}
	return true
}

// stickyReader keeps the first error other than io.EOF its reader gave.
type stickyReader struct {
	r   io.Reader
	err error
}

func (s *stickyReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}
