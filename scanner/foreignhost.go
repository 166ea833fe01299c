package scanner

import "bytes"

// ForeignHostIn returns the first host of an S3-compatible service other
// than AWS (foreignHosts, the matcher's own list) that b names, and the
// service's name, or "", "". go vet, go fix and keyscan fix read it: a
// program that names such a host sends its S3 client there, whatever
// region it gives (Wasabi's us-east-1 is AWS's name too). One list serves
// them and the matcher, so that a host added for one is known to all.
func ForeignHostIn(b []byte) (host, what string) {
	at := -1
	for _, h := range foreignHosts {
		if i := bytes.Index(b, []byte(h.host)); i >= 0 && (at < 0 || i < at) {
			at, host, what = i, h.host, h.what
		}
	}
	return host, what
}
