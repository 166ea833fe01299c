package archive

import "github.com/keyscan/keyscan/scanner/archive/tables"

// keepTables keeps a member that holds a table's cells or the strings a
// spreadsheet's cells name (tables.Of), for the rows rebuilt once the
// archive's members are all read (tableRows): an .xlsx's sheets and its
// shared strings may come in either order.
func (w *walker) keepTables(archive, memberPath string, data []byte) {
	k := tables.Of(memberPath, data)
	if k == tables.None {
		return
	}
	if w.books == nil {
		w.books = map[string]*tables.Book{}
	}
	b := w.books[archive]
	if b == nil {
		b = &tables.Book{}
		w.books[archive] = b
	}
	b.Add(memberPath, k, data)
}

// tableRows hands on the rows of the tables of the archive name, one
// Rebuilt member a part that holds them, once its members are read: a
// spreadsheet's header row names the column whose values stand rows below
// it (aws_secret_access_key over the secret), which neither the sheet's
// markup nor its shared strings keep together. The rows are at most four
// times the parts' bytes (1 MiB at least, max_file_size at most); rows
// past that are counted as not read.
func (w *walker) tableRows(name string) {
	b := w.books[name]
	if b == nil {
		return
	}
	delete(w.books, name)
	if b.Empty() || w.ctx.Err() != nil {
		return
	}
	limit := min(w.lim.MaxMemberSize, max(1<<20, 4*int64(b.Size())))
	ts, whole := b.Rows(int(limit))
	for _, t := range ts {
		w.yield(Member{Name: name + "!" + t.Part + " rows", Data: t.Text, Rebuilt: true})
	}
	if !whole {
		w.warn(name, "the rows of its tables, rebuilt to read each column under its header, come to more than %d bytes: the rows after are not read so", limit)
	}
}
