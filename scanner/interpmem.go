package scanner

import "bytes"

// The memory of decodeInterpolation, kept in the scratch from file to
// file. In keyword-dense text (a secret scanner's tests: a keyword, a
// format call and a + on most lines) nearly every file reads sites, and a
// fresh map of the places read and a map of the names needed per file,
// each grown entry by entry, cost more than reading the sites: the
// places read are a table emptied by a generation count, the names a
// short list behind a filter that most assignments of the file fail (the
// length and the first byte of a name no chain needs), without hashing.

// posSet is a set of input positions, emptied in constant time (reset).
// It holds at most maxInterpTries positions: every insert is a try. A
// slot is a position and its generation in one word, so that the part of
// the table a file's sites fill stays small.
type posSet struct {
	slots []uint64 // gen<<posBits | position; a power of two, at least twice maxInterpTries
	gen   uint64   // the generation whose slots are in the set, 1 to posGens-1
}

const (
	posShift = 13
	posSlots = 1 << posShift
	_        = uint(posSlots - 2*maxInterpTries) // a compile error if the table is too small
	posBits  = 40                                // positions below 1 TB
	posGens  = 1 << (64 - posBits)
)

// reset empties the set.
func (s *posSet) reset() {
	if s.gen++; s.gen >= posGens { // wrapped: slots of an old generation could read as current
		clear(s.slots)
		s.gen = 1
	}
}

// add adds p and reports whether it was not in the set yet.
func (s *posSet) add(p int) bool {
	if s.slots == nil {
		s.slots = make([]uint64, posSlots)
		s.gen = max(s.gen, 1)
	}
	want := s.gen<<posBits | uint64(p)&(1<<posBits-1)
	mask := uint(len(s.slots) - 1)
	for h := posHash(p) & mask; ; h = (h + 1) & mask {
		sl := &s.slots[h]
		if *sl == want {
			return false
		}
		if *sl>>posBits != s.gen {
			*sl = want
			return true
		}
	}
}

// posHash keeps the positions of a stretch of text in neighbouring slots
// (a file's sites come mostly in order: a hash that scattered them cost a
// cache miss a site; sites are a few bytes apart at least, so four
// positions share a slot), and spreads those a table's length apart.
func posHash(p int) uint { return uint(p)>>2 ^ uint(p)>>(posShift+2) }

// interpName is a name the chains refer to, with the values assigned to it.
type interpName struct {
	name []byte
	as   []interpAssign
	set  bool // an assignment of the name was seen, kept or not (refValue)
}

// nameList is the names needed, at most maxInterpNames, with a filter
// of their lengths and first bytes.
type nameList struct {
	list   []interpName
	lens   uint64     // bit n%64 set: a name n bytes long
	firsts [4]uint64  // bit c set: a name starting with byte c
	ends   [16]uint64 // bit endHash(a, b) set: a name ending in ab
	short  bool       // a name of one byte, which ends cannot tell
}

func (l *nameList) reset() {
	for i := range l.list {
		l.list[i] = interpName{as: l.list[i].as[:0]}
	}
	l.list, l.lens, l.firsts, l.ends, l.short = l.list[:0], 0, [4]uint64{}, [16]uint64{}, false
	// The words whose assignment assigns another name: a Terraform
	// variable block's default (assignedName), a Kubernetes env entry's
	// value (yamlKeyName).
	l.addEnd("default")
	l.addEnd("value")
}

// endHash is the bit of ends for a name's last two bytes.
func endHash(a, b byte) uint { return (uint(a)<<4 ^ uint(b)) & 1023 }

func (l *nameList) addEnd(name string) {
	if len(name) < 2 {
		l.short = true
		return
	}
	h := endHash(name[len(name)-2], name[len(name)-1])
	l.ends[h>>6] |= 1 << (h & 63)
}

// mayEnd reports whether a name that ends at d[j] may be one the list
// holds, or one whose assignment assigns one of them: resolve's test at
// each = and :, before it reads the name back from there.
func (l *nameList) mayEnd(d []byte, j int) bool {
	if j < 2 || l.short {
		return j > 0 && l.short
	}
	h := endHash(d[j-2], d[j-1])
	return l.ends[h>>6]&(1<<(h&63)) != 0
}

// find returns the entry of name, or nil.
func (l *nameList) find(name []byte) *interpName {
	if len(name) > 0 && (l.lens&(1<<(len(name)&63)) == 0 || l.firsts[name[0]>>6]&(1<<(name[0]&63)) == 0) {
		return nil
	}
	for i := range l.list {
		if bytes.Equal(l.list[i].name, name) {
			return &l.list[i]
		}
	}
	return nil
}

// add adds name with no value, when it is new and the list has room.
func (l *nameList) add(name []byte) {
	if len(l.list) >= maxInterpNames || l.find(name) != nil {
		return
	}
	if len(l.list) < cap(l.list) {
		l.list = l.list[:len(l.list)+1]
		l.list[len(l.list)-1].name = name
	} else {
		l.list = append(l.list, interpName{name: name})
	}
	l.lens |= 1 << (len(name) & 63)
	l.addEnd(string(name))
	if len(name) > 0 {
		l.firsts[name[0]>>6] |= 1 << (name[0] & 63)
	}
}
