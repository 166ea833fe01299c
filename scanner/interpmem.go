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
// It holds at most maxInterpTries positions: every insert is a try.
type posSet struct {
	slots []posSlot // a power of two, at least twice maxInterpTries
	gen   uint32    // the generation whose slots are in the set
}

type posSlot struct {
	pos int
	gen uint32
}

// posSlots is the size of posSet's table: twice the tries it may hold, so
// that a probe ends soon.
const posSlots = 2 * maxInterpTries

// reset empties the set.
func (s *posSet) reset() {
	s.gen++
	if s.gen == 0 { // wrapped: slots of an old generation could read as current
		clear(s.slots)
		s.gen = 1
	}
}

// add adds p and reports whether it was not in the set yet.
func (s *posSet) add(p int) bool {
	if s.slots == nil {
		s.slots = make([]posSlot, posSlots)
		if s.gen == 0 {
			s.gen = 1
		}
	}
	mask := uint64(len(s.slots) - 1)
	for h := (uint64(p) * 0x9e3779b97f4a7c15 >> 32) & mask; ; h = (h + 1) & mask {
		sl := &s.slots[h]
		if sl.gen != s.gen {
			*sl = posSlot{p, s.gen}
			return true
		}
		if sl.pos == p {
			return false
		}
	}
}

// has reports whether p is in the set.
func (s *posSet) has(p int) bool {
	if s.slots == nil {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for h := (uint64(p) * 0x9e3779b97f4a7c15 >> 32) & mask; ; h = (h + 1) & mask {
		sl := &s.slots[h]
		if sl.gen != s.gen {
			return false
		}
		if sl.pos == p {
			return true
		}
	}
}

// interpName is a name the chains refer to, with the values assigned to it.
type interpName struct {
	name []byte
	as   []interpAssign
}

// nameList is the names needed, at most maxInterpNames, with a filter
// of their lengths and first bytes.
type nameList struct {
	list   []interpName
	lens   uint64    // bit n%64 set: a name n bytes long
	firsts [4]uint64 // bit c set: a name starting with byte c
}

func (l *nameList) reset() {
	for i := range l.list {
		l.list[i] = interpName{as: l.list[i].as[:0]}
	}
	l.list, l.lens, l.firsts = l.list[:0], 0, [4]uint64{}
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
	if len(name) > 0 {
		l.firsts[name[0]>>6] |= 1 << (name[0] & 63)
	}
}
