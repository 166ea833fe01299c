package archive

import (
	"strings"

	"github.com/keyscan/keyscan/scanner/archive/sqlite"
)

// sqlite hands on the rows of a SQLite database's tables (qa31 F7), a
// Rebuilt member a table (app.db!credentials rows): the file's own bytes,
// which the caller scans as a binary file's, hold a row's columns glued
// together (PRODAKIA…), where the rows put each value in its cell under
// its column's name. The rows are at most the file's size (1 MiB at
// least, max_file_size at most); a database that does not read gives
// none, and its bytes are scanned all the same.
func (w *walker) sqlite(name string, data []byte) {
	limit := min(w.lim.MaxMemberSize, max(1<<20, int64(len(data))))
	ts, whole := sqlite.Tables(data, int(limit))
	for _, t := range ts {
		table := strings.Map(func(r rune) rune {
			if r == '!' || r < ' ' {
				return '_'
			}
			return r
		}, t.Name)
		w.yield(Member{Name: name + "!" + table + " rows", Data: t.Text, Rebuilt: true})
	}
	if !whole {
		w.warn(name, "the rows of its tables, rebuilt to read each column under its name, come to more than %d bytes: the rows after are not read so", limit)
	}
}
