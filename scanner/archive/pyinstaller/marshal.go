package pyinstaller

import (
	"encoding/binary"
)

// unmarshal reads the part of Python's marshal format a PYZ's table of
// contents uses: lists, tuples, dicts, strings, ints, None and booleans,
// with references (FLAG_REF, 'r'). Anything else is ErrCorrupt. Values
// are at most budget in number and maxDepth deep, so that a hostile table
// costs no more than its bytes.
type unmarshal struct {
	b      []byte
	refs   []any
	budget int
}

// dict is a marshalled dict: its keys and values, one after the other.
type dict []any

const maxDepth = 32

func (m *unmarshal) take(n int) ([]byte, error) {
	if n < 0 || n > len(m.b) {
		return nil, ErrCorrupt
	}
	p := m.b[:n]
	m.b = m.b[n:]
	return p, nil
}

func (m *unmarshal) u32() (int, error) {
	p, err := m.take(4)
	if err != nil {
		return 0, err
	}
	return int(int32(binary.LittleEndian.Uint32(p))), nil
}

func (m *unmarshal) value(depth int) (any, error) {
	m.budget--
	if depth > maxDepth || m.budget < 0 {
		return nil, ErrCorrupt
	}
	p, err := m.take(1)
	if err != nil {
		return nil, err
	}
	code, ref := p[0]&0x7f, p[0]&0x80 != 0
	slot := -1
	if ref {
		slot = len(m.refs)
		m.refs = append(m.refs, nil)
	}
	v, err := m.body(code, depth)
	if err != nil {
		return nil, err
	}
	if slot >= 0 {
		m.refs[slot] = v
	}
	return v, nil
}

func (m *unmarshal) body(code byte, depth int) (any, error) {
	switch code {
	case 'N', 'F', 'T':
		return nil, nil
	case 'i':
		n, err := m.u32()
		return int64(n), err
	case 'l':
		// A long: a signed count of 15-bit digits, least first.
		n, err := m.u32()
		if err != nil || n < -4 || n > 4 {
			return nil, ErrCorrupt
		}
		var v int64
		for i := range abs(n) {
			p, err := m.take(2)
			if err != nil {
				return nil, err
			}
			v |= int64(binary.LittleEndian.Uint16(p)) << (15 * i)
		}
		if n < 0 {
			v = -v
		}
		return v, nil
	case 'u', 'a', 'A', 't', 's':
		n, err := m.u32()
		if err != nil {
			return nil, err
		}
		p, err := m.take(n)
		return string(p), err
	case 'z', 'Z':
		p, err := m.take(1)
		if err != nil {
			return nil, err
		}
		p, err = m.take(int(p[0]))
		return string(p), err
	case ')':
		p, err := m.take(1)
		if err != nil {
			return nil, err
		}
		return m.items(int(p[0]), depth)
	case '(', '[', '<', '>':
		n, err := m.u32()
		if err != nil {
			return nil, err
		}
		return m.items(n, depth)
	case '{':
		var d dict
		for len(m.b) > 0 && m.b[0] != '0' {
			for range 2 {
				v, err := m.value(depth + 1)
				if err != nil {
					return nil, err
				}
				d = append(d, v)
			}
		}
		_, err := m.take(1)
		return d, err
	case 'r':
		n, err := m.u32()
		if err != nil || n < 0 || n >= len(m.refs) {
			return nil, ErrCorrupt
		}
		return m.refs[n], nil
	}
	return nil, ErrCorrupt
}

// items reads n values: a container never holds more than its bytes can.
func (m *unmarshal) items(n, depth int) ([]any, error) {
	if n < 0 || n > len(m.b) {
		return nil, ErrCorrupt
	}
	vs := make([]any, 0, n)
	for range n {
		v, err := m.value(depth + 1)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
