package scanner

// A key ID written as a list of quoted characters beside its own name
// (qa22 M2):
//
//	aws_access_key_id = ''.join(['A', 'K', 'I', 'A', …])
//	String accessKeyId = new String(new char[] {'A', 'K', 'I', 'A', …});
//
// was read only where a secret's keyword or a key ID stood near (the
// list readers' windows): a list of quoted characters is no anchor of
// its own, for what anchoring them all would cost (charlist.go). The
// first item, 'A' or "A", is an anchor already (a literal split inside a
// key prefix: anchorSplitHead); quotedIDList asks the items after it
// whether they spell a key ID (AKIA or ASIA and 16 of base32's letters
// and digits, no 21st), a few bytes read at most places, and the line
// before the list (from the line above it on) whether it names an access
// key ID (accessKeyContext), so a list that no name owns is still not
// looked for.

// quotedIDList reports whether the quoted 'A' or "A" at at opens a list
// of one-character literals that spells a key ID (b), under a name of an
// access key ID on its line or the line above.
func quotedIDList(d []byte, at int) (b [20]byte, ok bool) {
	i := at
	for k := range b {
		c, n := listItem(d, i)
		if n != 3 || d[i] != d[at] { // the same quotes, no suffix
			return b, false
		}
		b[k] = c
		switch {
		case k == 3 && string(b[:4]) != "AKIA" && string(b[:4]) != "ASIA":
			return b, false
		case k >= 4 && !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7'):
			return b, false // no key ID's base32
		}
		s := listSep(d, i+n, false)
		if s == 0 {
			if k < len(b)-1 {
				return b, false
			}
			break
		}
		i += n + s
		if k == len(b)-1 {
			if c, n := listItem(d, i); n > 0 && isAlnum(c) {
				return b, false // a 21st letter: no key ID's end
			}
		}
	}
	ls := lineStartWithin(d, at, 512)
	if ls > 0 {
		ls = lineStartWithin(d, ls-1, 512)
	}
	return b, accessKeyContext(d[ls:at])
}
