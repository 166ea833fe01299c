package sqlite

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// makeDB builds a database with python3's sqlite3 module from a script
// that is given the connection as db and the values as v; the test is
// skipped without python3.
func makeDB(t testing.TB, script string, v ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	path := filepath.Join(t.TempDir(), "t.db")
	prog := "import sqlite3, sys\npath = sys.argv[1]\nv = sys.argv[2:]\ndb = sqlite3.connect(path)\n" + script + "\ndb.commit()\ndb.close()\n"
	if b, err := exec.Command("python3", append([]string{"-c", prog, path}, v...)...).CombinedOutput(); err != nil {
		t.Fatalf("python3 sqlite3: %v\n%s", err, b)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestTables: a row whose columns are glued on disk (PROD before the key
// ID, qa31 F7) comes out a line of tab-separated cells under a line of the
// column names; a long table spans interior pages, a long text overflow
// pages, and a UTF-16 database's text is UTF-8.
func TestTables(t *testing.T) {
	g := fakekey.New(3107)
	id, secret := g.KeyID("AKIA"), g.Secret()
	data := makeDB(t, `
db.execute("create table credentials (env text, access_key_id text, secret_access_key text, created integer)")
db.execute("insert into credentials values ('PROD', ?, ?, 1700000000)", (v[0], v[1]))`, id, secret)
	if !bytes.Contains(data, []byte("PROD"+id+secret)) {
		t.Fatalf("the row is not glued on disk")
	}
	ts, whole := Tables(data, 1<<20)
	want := "1\tenv\taccess_key_id\tsecret_access_key\tcreated\n2\tPROD\t" + id + "\t" + secret + "\t\n"
	if !whole || len(ts) != 1 || ts[0].Name != "credentials" || string(ts[0].Text) != want {
		t.Fatalf("Tables = %q (whole %v), want credentials %q", ts, whole, want)
	}

	// Many rows (interior pages), a text of 10,000 bytes (overflow
	// pages), 4 KiB pages, and a UTF-16 database.
	for _, enc := range []string{"UTF-8", "UTF-16le", "UTF-16be"} {
		data = makeDB(t, fmt.Sprintf(`
db.execute('pragma encoding = "%s"')
db.execute("create table [t 1] (`+"`id`"+` integer primary key, name text, note text, check (id > 0))")
db.executemany("insert into [t 1] (name, note) values (?, ?)", [("n%%d" %% i, "x" * (10000 if i == 700 else 20) + v[0]) for i in range(1500)])`, enc), id)
		ts, whole = Tables(data, 1<<24)
		if !whole || len(ts) != 1 || ts[0].Name != "t 1" {
			t.Fatalf("%s: Tables = %d tables (whole %v)", enc, len(ts), whole)
		}
		lines := strings.Split(strings.TrimSuffix(string(ts[0].Text), "\n"), "\n")
		if len(lines) != 1501 || lines[0] != "1\tid\tname\tnote" {
			t.Fatalf("%s: %d lines, the first %q", enc, len(lines), lines[0])
		}
		for i, l := range lines[1:] {
			note := strings.Repeat("x", 20) + id
			if i == 700 {
				note = strings.Repeat("x", 10000)[:maxCell]
			}
			if w := fmt.Sprintf("%d\t\tn%d\t%s", i+2, i, note); l != w {
				t.Fatalf("%s: row %d = %.80q, want %.80q", enc, i, l, w)
			}
		}
		// The limit cuts the text.
		if ts, whole = Tables(data, 1000); whole || len(ts) > 1 || len(ts) == 1 && len(ts[0].Text) > 1000 {
			t.Fatalf("%s: limit 1000: %d tables, whole %v", enc, len(ts), whole)
		}
	}
}

// TestColumns reads the column names of CREATE TABLE statements.
func TestColumns(t *testing.T) {
	for sql, want := range map[string]string{
		"CREATE TABLE t(a, b)": "a,b",
		"create table t (id integer primary key, \"access key\" text default ('x,y'), [b] varchar(10, 2), `c` text, constraint pk primary key (id), unique (b))": "id,access key,b,c",
		"CREATE TABLE \"t\"(\n  k TEXT NOT NULL,\n  v TEXT CHECK(length(v) > 0)\n) STRICT":                                                                       "k,v",
		"CREATE TABLE x":   "",
		"CREATE TABLE y(a": "a",
	} {
		if got := strings.Join(Columns(sql), ","); got != want {
			t.Errorf("Columns(%q) = %q, want %q", sql, got, want)
		}
	}
}

// TestMalformed: pages that point at themselves, at each other or past
// the file, and a file cut short, give no hang and no panic.
func TestMalformed(t *testing.T) {
	g := fakekey.New(3108)
	id := g.KeyID("AKIA")
	for _, tail := range []string{"", " without rowid"} {
		malformed(t, makeDB(t, `
db.execute("create table t (a text primary key, b text)`+tail+`")
db.executemany("insert into t values (?, ?)", [(v[0] + str(i), "y" * (i % 3000)) for i in range(400)])`, id))
	}
}

// malformed reads data broken in several ways, each in every way cut.
func malformed(t *testing.T, data []byte) {
	ps := pageSize(data)
	for _, mut := range []func(b []byte){
		func(b []byte) {}, // whole
		func(b []byte) { // every interior page's right pointer at page 2
			for p := ps; p+12 <= len(b); p += ps {
				if b[p] == interiorTable || b[p] == interiorIndex {
					copy(b[p+8:], []byte{0, 0, 0, 2})
				}
			}
		},
		func(b []byte) { // every interior page's right pointer at itself, its cells' children at the root
			for p := ps; p+12 <= len(b); p += ps {
				if b[p] != interiorTable && b[p] != interiorIndex {
					continue
				}
				binary.BigEndian.PutUint32(b[p+8:], uint32(p/ps+1))
				for i := range int(binary.BigEndian.Uint16(b[p+3:])) {
					if at := int(binary.BigEndian.Uint16(b[p+12+2*i:])); at+4 <= ps {
						copy(b[p+at:], []byte{0, 0, 0, 2})
					}
				}
			}
		},
		func(b []byte) { // every overflow chain a loop: each page's next pointer at itself
			for p := ps; p+12 <= len(b); p += ps {
				if k := b[p]; k != interiorTable && k != interiorIndex && k != leafTable && k != leafIndex {
					binary.BigEndian.PutUint32(b[p:], uint32(p/ps+1))
				}
			}
		},
		func(b []byte) { // every 4-byte pointer-like word past the file
			for p := ps; p+12 <= len(b); p += ps {
				copy(b[p+8:], []byte{0x7f, 0xff, 0xff, 0xff})
				copy(b[p:], []byte{0x7f, 0xff, 0xff, 0xff}) // overflow pages' next
			}
		},
		func(b []byte) { // cell pointers at the page's end
			for p := ps; p+12 <= len(b); p += ps {
				for i := 0; i < 8; i++ {
					copy(b[p+8+2*i:], []byte{0xff, 0xff})
				}
			}
		},
	} {
		b := bytes.Clone(data)
		mut(b)
		Tables(b, 1<<20)
		for _, n := range []int{100, 101, ps, ps + 7, len(b) / 2} {
			Tables(b[:n], 1<<20)
		}
	}
}

// FuzzTables checks that no file makes Tables panic or give more text
// than its limit; the seeds are databases python3's sqlite3 makes.
func FuzzTables(f *testing.F) {
	g := fakekey.New(3109)
	for _, script := range []string{
		`db.execute("create table c (env text, access_key_id text, secret_access_key text)")
db.execute("insert into c values ('PROD', ?, ?)", (v[0], v[1]))`,
		`db.execute("pragma page_size = 512")
db.execute("create table t (a integer primary key, b text, c blob, d real)")
db.executemany("insert into t (b, c, d) values (?, ?, 1.5)", [("v" * (i * 7 % 900), b"\x00" * i) for i in range(60)])`,
		`db.execute('pragma encoding = "UTF-16le"')
db.execute("create table u (k text, v text)")
db.execute("insert into u values ('aws_access_key_id', ?)", (v[0],))`,
		`db.execute("pragma page_size = 512")
db.execute("create table w (env text, access_key_id text, secret_access_key text, n int, primary key (access_key_id, env)) without rowid")
db.executemany("insert into w values (?, ?, ?, ?)", [("e" * (i * 13 % 700), v[0] + str(i), v[1], i) for i in range(80)])`,
	} {
		f.Add(makeDB(f, script, g.KeyID("AKIA"), g.Secret()))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 1 << 16
		ts, _ := Tables(data, limit)
		n := 0
		for _, tb := range ts {
			n += len(tb.Text)
		}
		if n > limit {
			t.Fatalf("%d bytes of text, past the limit %d", n, limit)
		}
	})
}

// TestWithoutRowid: a WITHOUT ROWID table's rows are the records of an
// index b-tree, the PRIMARY KEY's columns first; a row ('PROD', key ID,
// secret), glued on disk as in a rowid table, comes out under the column
// names in the record's order, whatever the key's place in the statement
// (first, last, two columns with DESC and COLLATE). Many rows (interior
// index pages, whose cells hold rows of their own), small pages and
// UTF-16 come out whole and in key order.
func TestWithoutRowid(t *testing.T) {
	g := fakekey.New(3311)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, c := range []struct{ create, insert, want string }{
		{"create table c (env text, access_key_id text, secret_access_key text, primary key (env)) without rowid",
			"insert into c values ('PROD', ?, ?)",
			"1\tenv\taccess_key_id\tsecret_access_key\n2\tPROD\t" + id + "\t" + secret + "\n"},
		{"create table c (env text primary key, access_key_id text, secret_access_key text) WITHOUT ROWID",
			"insert into c values ('PROD', ?, ?)",
			"1\tenv\taccess_key_id\tsecret_access_key\n2\tPROD\t" + id + "\t" + secret + "\n"},
		{"create table c (secret_access_key text, created int, \"access_key_id\" text primary key) without rowid",
			"insert into c values (?2, 7, ?1)",
			"1\taccess_key_id\tsecret_access_key\tcreated\n2\t" + id + "\t" + secret + "\t\n"},
		{"create table c (secret_access_key text, [env] text, n int, access_key_id text, constraint k primary key (access_key_id desc, ENV collate nocase)) without rowid",
			"insert into c values (?2, 'PROD', 1, ?1)",
			"1\taccess_key_id\tenv\tsecret_access_key\tn\n2\t" + id + "\tPROD\t" + secret + "\t\n"},
	} {
		data := makeDB(t, `
db.execute('''`+c.create+`''')
db.execute('''`+c.insert+`''', (v[0], v[1]))`, id, secret)
		if !bytes.Contains(data, []byte("PROD"+id+secret)) && !bytes.Contains(data, []byte(id+secret)) && !bytes.Contains(data, []byte(id+"PROD"+secret)) {
			t.Fatalf("%s: the row is not glued on disk", c.create)
		}
		ts, whole := Tables(data, 1<<20)
		if !whole || len(ts) != 1 || ts[0].Name != "c" || string(ts[0].Text) != c.want {
			t.Errorf("%s:\nTables = %q (whole %v), want c %q", c.create, ts, whole, c.want)
		}
	}

	for _, enc := range []string{"UTF-8", "UTF-16le", "UTF-16be"} {
		data := makeDB(t, fmt.Sprintf(`
db.execute("pragma page_size = 512")
db.execute('pragma encoding = "%s"')
db.execute("create table w (note text, k text, n integer, primary key (k)) without rowid")
db.executemany("insert into w values (?, ?, ?)", [(v[0] + "y" * (i %% 97), "k%%05d" %% i, i) for i in range(3000)])`, enc), id)
		interiors := 0
		for p := 0; p < len(data); p += 512 {
			if data[p] == interiorIndex {
				interiors++
			}
		}
		if interiors < 2 {
			t.Fatalf("%s: %d interior index pages", enc, interiors)
		}
		ts, whole := Tables(data, 1<<24)
		if !whole || len(ts) != 1 || ts[0].Name != "w" {
			t.Fatalf("%s: Tables = %d tables (whole %v)", enc, len(ts), whole)
		}
		lines := strings.Split(strings.TrimSuffix(string(ts[0].Text), "\n"), "\n")
		if len(lines) != 3001 || lines[0] != "1\tk\tnote\tn" {
			t.Fatalf("%s: %d lines, the first %q", enc, len(lines), lines[0])
		}
		for i, l := range lines[1:] {
			if w := fmt.Sprintf("%d\tk%05d\t%s%s\t", i+2, i, id, strings.Repeat("y", i%97)); l != w {
				t.Fatalf("%s: row %d = %.80q, want %.80q", enc, i, l, w)
			}
		}
	}
}

// TestOverflow: a long value before the key ID and the secret pushes them
// onto overflow pages, at every offset of a page's end (512-byte pages, a
// value of 1 to 2,600 bytes), in a rowid table (whose cells keep up to the
// page less 35 bytes) and in a WITHOUT ROWID one (whose index cells keep a
// quarter of the page): each row comes out with both in their cells.
func TestOverflow(t *testing.T) {
	g := fakekey.New(3312)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, tail := range []string{"", " without rowid"} {
		data := makeDB(t, `
db.execute("pragma page_size = 512")
db.execute("create table o (n integer primary key, note text, access_key_id text, secret_access_key text)`+tail+`")
db.executemany("insert into o values (?, ?, ?, ?)", [(i, "z" * i, v[0], v[1]) for i in range(1, 2600, 3)])`, id, secret)
		ts, whole := Tables(data, 1<<24)
		if !whole || len(ts) != 1 {
			t.Fatalf("%q: Tables = %d tables (whole %v)", tail, len(ts), whole)
		}
		lines := strings.Split(strings.TrimSuffix(string(ts[0].Text), "\n"), "\n")
		if len(lines) != 1+len(rangeStep(1, 2600, 3)) || lines[0] != "1\tn\tnote\taccess_key_id\tsecret_access_key" {
			t.Fatalf("%q: %d lines, the first %q", tail, len(lines), lines[0])
		}
		for i, n := range rangeStep(1, 2600, 3) {
			cells := strings.Split(lines[1+i], "\t")
			if len(cells) != 5 || cells[2] != strings.Repeat("z", n) || cells[3] != id || cells[4] != secret {
				t.Fatalf("%q: the row of a note of %d bytes = %.100q", tail, n, lines[1+i])
			}
		}
	}
}

func rangeStep(from, to, step int) []int {
	var out []int
	for i := from; i < to; i += step {
		out = append(out, i)
	}
	return out
}

// TestStored names a record's columns in the order it holds them.
func TestStored(t *testing.T) {
	for sql, want := range map[string]string{
		"CREATE TABLE t(a, b)":                                                      "a,b",
		"CREATE TABLE t(a, b primary key)":                                          "a,b",
		"CREATE TABLE t(a, b primary key) without rowid":                            "b,a",
		"CREATE TABLE t(a, b, c, primary key (c, [A] desc, c)) WITHOUT ROWID":       "c,a,b",
		"CREATE TABLE t(a text default 'primary key', b) without rowid":             "a,b",
		"CREATE TABLE t(a, b, primary key (z)) without rowid":                       "a,b",
		"CREATE TABLE t(a, b as (a || 'x'), c generated always as (1) stored, d)":   "a,c,d",
		"CREATE TABLE t(a, \"b\" text as (a) virtual, c primary key) without rowid": "c,a",
	} {
		if got := strings.Join(Stored(sql), ","); got != want {
			t.Errorf("Stored(%q) = %q, want %q", sql, got, want)
		}
	}
}

// TestGenerated: a VIRTUAL generated column is not in the record, a
// STORED one is, in its place: the cells stand under their names.
func TestGenerated(t *testing.T) {
	g := fakekey.New(3313)
	id, secret := g.KeyID("AKIA"), g.Secret()
	for _, tail := range []string{"", " without rowid"} {
		data := makeDB(t, `
db.execute("create table g (env text primary key, up text as (upper(env)), access_key_id text, low text as (lower(env)) stored, secret_access_key text)`+tail+`")
db.execute("insert into g (env, access_key_id, secret_access_key) values ('Prod', ?, ?)", (v[0], v[1]))`, id, secret)
		ts, _ := Tables(data, 1<<20)
		want := "1\tenv\taccess_key_id\tlow\tsecret_access_key\n2\tProd\t" + id + "\tprod\t" + secret + "\n"
		if len(ts) != 1 || string(ts[0].Text) != want {
			t.Errorf("%q: Tables = %q, want %q", tail, ts, want)
		}
	}
}
