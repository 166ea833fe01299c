package vetx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
	"golang.org/x/tools/go/gcexportdata"
)

// childEnv makes the test binary unitchecker itself, with usesOf: the
// reader and writer of vetx files FromExportData must agree with.
const childEnv = "KEYSCAN_VETX_TEST_UNITCHECKER"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		unitchecker.Main(usesOf) // exits
	}
	os.Exit(m.Run())
}

// usesOf reports the type of every use of another package's object: what
// a package sees of its imports through their vetx files.
var usesOf = &analysis.Analyzer{
	Name: "usesof",
	Doc:  "report the type of each use of an imported object",
	Run: func(pass *analysis.Pass) (any, error) {
		for id, obj := range pass.TypesInfo.Uses {
			if obj.Pkg() != nil && obj.Pkg() != pass.Pkg {
				pass.Reportf(id.Pos(), "%s", types.ObjectString(obj, nil))
			}
		}
		return nil, nil
	},
}

// The package a: declarations of every kind, some of whose types only a
// check works out (inferred, iota, generic, embedded, aliased, unsafe),
// and function bodies with their own types.
const srcA = `package a

import "unsafe"

type (
	Point struct {
		X, Y int
		hidden []string
	}
	Shape interface {
		Area() float64
		Named
	}
	Named interface{ Name() string }
	List[T any] struct {
		items []T
		next  *List[T]
	}
	Alias  = Point
	Weekday int
	Embeds struct {
		Point
		*List[string]
	}
)

const (
	Sunday Weekday = iota
	Monday
	Big      = 1 << 100
	Small    = Big >> 98
	Greeting = "hello, " + "world"
	Size     = unsafe.Sizeof(Point{})
)

var (
	Origin   = Point{}
	Inferred = func() map[string][]*Point { return nil }()
	Count    = len(Greeting)
	Handler  func(Weekday) (Shape, error)
)

func (p Point) Area() float64   { type local struct{ z int }; return float64(local{p.X}.z) }
func (p *Point) Name() string    { return "point" }
func (l *List[T]) Push(v T) *List[T] { return &List[T]{items: append(l.items, v), next: l} }
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
func (d Weekday) String() string { return [...]string{"Sunday", "Monday"}[d] }
`

// The package b uses each of them.
const srcB = `package b

import "example.com/a"

var (
	p     a.Point
	q     a.Alias
	s     a.Shape = &p
	l     = new(a.List[int]).Push(1)
	names = a.Map([]a.Weekday{a.Sunday, a.Monday}, a.Weekday.String)
	e     a.Embeds
	x     = e.X + a.Count + int(a.Size) + a.Small
	g     = a.Greeting
	o, i  = a.Origin, a.Inferred
	h     = a.Handler
	area  = p.Area()
)
`

// config is unitchecker's vet.cfg, as the go command writes it, for the
// fields unitchecker and this package read.
type config struct {
	ID, ImportPath, GoVersion string
	GoFiles                   []string
	ImportMap                 map[string]string
	PackageFile               map[string]string
	PackageVetx               map[string]string
	VetxOnly                  bool
	VetxOutput                string
}

func writeConfig(t *testing.T, name string, cfg config) string {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// unitcheck runs unitchecker on the config file cfg; it returns what it
// printed and its exit status.
func unitcheck(t *testing.T, cfg string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], cfg)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// TestFromExportDataAsUnitchecker: a package that imports another, checked
// by unitchecker, sees the same types through the vetx file FromExportData
// writes from the compiler's export data (the import's own VetxOnly run
// having written WriteEmpty's file) as through the file unitchecker writes
// in its VetxOnly run; and the two files declare the same objects.
func TestFromExportDataAsUnitchecker(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to compile the imported package")
	}
	dir := t.TempDir()
	for name, src := range map[string]string{"go.mod": "module example.com\n\ngo 1.26\n", "a/a.go": srcA, "b/b.go": srcB} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := exec.Command(gobin, "list", "-export", "-f", "{{.Export}}", "./a")
	list.Dir, list.Env = dir, append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
	exported, err := list.Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	export := strings.TrimSpace(string(exported))

	theirs := config{
		ID: "example.com/a", ImportPath: "example.com/a", GoVersion: "go1.26",
		GoFiles:    []string{filepath.Join(dir, "a", "a.go")},
		ImportMap:  map[string]string{"unsafe": "unsafe"},
		VetxOnly:   true,
		VetxOutput: filepath.Join(dir, "a.unitchecker.vetx"),
	}
	if out, code := unitcheck(t, writeConfig(t, filepath.Join(dir, "a.unitchecker.cfg"), theirs)); code != 0 {
		t.Fatalf("unitchecker, VetxOnly: exit %d\n%s", code, out)
	}
	ours := theirs
	ours.VetxOutput = filepath.Join(dir, "a.ours.vetx")
	cfg, err := ReadConfig(writeConfig(t, filepath.Join(dir, "a.ours.cfg"), ours))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.VetxOnly || cfg.ImportPath != "example.com/a" || len(cfg.GoFiles) != 1 {
		t.Fatalf("ReadConfig read %+v", cfg)
	}
	if err := WriteEmpty(cfg); err != nil {
		t.Fatalf("WriteEmpty: %v", err)
	}

	// The package b, checked and reported by unitchecker, through each.
	uses := map[string]string{}
	var typed string
	for _, vetx := range []string{theirs.VetxOutput, ours.VetxOutput} {
		cfgB := config{
			ID: "example.com/b", ImportPath: "example.com/b", GoVersion: "go1.26",
			GoFiles:     []string{filepath.Join(dir, "b", "b.go")},
			ImportMap:   map[string]string{"example.com/a": "example.com/a"},
			PackageFile: map[string]string{"example.com/a": export},
			PackageVetx: map[string]string{"example.com/a": vetx},
			VetxOutput:  filepath.Join(dir, "b", filepath.Base(vetx)+".out"),
		}
		name := writeConfig(t, filepath.Join(dir, "b", filepath.Base(vetx)+".cfg"), cfgB)
		if vetx == ours.VetxOutput {
			if name, err = FromExportData(name); err != nil {
				t.Fatalf("FromExportData: %v", err)
			}
			var got config
			data, _ := os.ReadFile(name)
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			if typed = got.PackageVetx["example.com/a"]; typed == ours.VetxOutput || got.ImportPath != "example.com/b" || len(got.GoFiles) != 1 {
				t.Fatalf("FromExportData's config: %+v", got)
			}
		}
		out, code := unitcheck(t, name)
		if code != 1 || !strings.Contains(out, "func (*example.com/a.List[int]).Push(v int) *example.com/a.List[int]") {
			t.Fatalf("unitchecker on b with %s: exit %d, want 1 and each use reported:\n%s", filepath.Base(vetx), code, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		slices.Sort(lines) // reported in map order
		uses[vetx] = strings.Join(lines, "\n")
	}
	if uses[ours.VetxOutput] != uses[theirs.VetxOutput] {
		t.Errorf("b sees through the compiler's export data\n%s\nand through unitchecker's vetx file\n%s", uses[ours.VetxOutput], uses[theirs.VetxOutput])
	}
	want, got := declared(t, theirs.VetxOutput), declared(t, typed)
	if len(want) < 20 {
		t.Fatalf("unitchecker's vetx declares too little to compare:\n%s", strings.Join(want, "\n"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("FromExportData's file declares\n\t%s\nunitchecker's declares\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// declared lists the objects the vetx file name declares for example.com/a,
// with the methods of its named types, one a line.
func declared(t *testing.T, name string) []string {
	t.Helper()
	data, err := readTypes(name)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := gcexportdata.Read(bytes.NewReader(data), token.NewFileSet(), map[string]*types.Package{}, "example.com/a")
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	var lines []string
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		obj := scope.Lookup(n)
		line := types.ObjectString(obj, nil)
		if c, ok := obj.(*types.Const); ok {
			line += " = " + c.Val().ExactString()
		}
		lines = append(lines, line)
		if tn, ok := obj.(*types.TypeName); ok {
			if named, ok := tn.Type().(*types.Named); ok {
				for m := range named.Methods() {
					lines = append(lines, "\t"+types.ObjectString(m, nil))
				}
			}
		}
	}
	return lines
}

// TestFromExportDataRefuses: export data that cannot be read is an error,
// not a config whose types are missing; a package with no imports keeps its
// config; an import with no export data keeps its vetx file.
func TestFromExportDataRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.a")
	if err := os.WriteFile(bad, []byte("!<arch>\nnot export data"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := config{ID: "example.com/b", ImportPath: "example.com/b", GoVersion: "go1.26", GoFiles: []string{filepath.Join(dir, "b.go")},
		ImportMap: map[string]string{"example.com/a": "example.com/a"}, VetxOutput: filepath.Join(dir, "b.vetx")}

	c := base
	c.PackageFile = map[string]string{"example.com/a": bad}
	c.PackageVetx = map[string]string{"example.com/a": filepath.Join(dir, "a.vetx")}
	if name, err := FromExportData(writeConfig(t, filepath.Join(dir, "bad.cfg"), c)); err == nil {
		t.Errorf("unreadable export data: FromExportData gave %s, no error", name)
	}

	c = base
	name := writeConfig(t, filepath.Join(dir, "alone.cfg"), c)
	if got, err := FromExportData(name); err != nil || got != name {
		t.Errorf("no imports: FromExportData gave %s, %v; want %s", got, err, name)
	}

	c.PackageVetx = map[string]string{"example.com/a": filepath.Join(dir, "a.vetx")}
	got, err := FromExportData(writeConfig(t, filepath.Join(dir, "noexport.cfg"), c))
	if err != nil {
		t.Fatal(err)
	}
	var typed config
	data, _ := os.ReadFile(got)
	if err := json.Unmarshal(data, &typed); err != nil || typed.PackageVetx["example.com/a"] != c.PackageVetx["example.com/a"] {
		t.Errorf("no export data: PackageVetx %v (%v), want the go command's", typed.PackageVetx, err)
	}

	if _, err := FromExportData(filepath.Join(dir, "missing.cfg")); err == nil {
		t.Error("a missing config: no error")
	}
}

// TestUsesFacts: an analyzer exports facts itself or through one it
// requires; keyscan's own analyzer is checked by its command's tests.
func TestUsesFacts(t *testing.T) {
	type fact struct{ analysis.Fact }
	plain := &analysis.Analyzer{Name: "plain", Doc: "plain", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	facts := &analysis.Analyzer{Name: "facts", Doc: "facts", Run: plain.Run, FactTypes: []analysis.Fact{new(fact)}}
	requires := &analysis.Analyzer{Name: "requires", Doc: "requires", Run: plain.Run, Requires: []*analysis.Analyzer{plain, facts}}
	for _, c := range []struct {
		as   []*analysis.Analyzer
		want bool
	}{
		{[]*analysis.Analyzer{plain}, false},
		{[]*analysis.Analyzer{facts}, true},
		{[]*analysis.Analyzer{plain, requires}, true},
	} {
		if got := UsesFacts(c.as...); got != c.want {
			t.Errorf("UsesFacts(%v) = %v, want %v", c.as, got, c.want)
		}
	}
}

// FuzzReadTypes: any file is read without a panic, and what is read lies
// inside it.
func FuzzReadTypes(f *testing.F) {
	f.Add([]byte("vetx\x04\x00\x00\x00\x00\x00\x00\x00abcd"))
	f.Add([]byte("vetx\xff\xff\xff\xff\x00\x00\x00\x00"))
	f.Add([]byte("vetx"))
	f.Add([]byte("not a vetx file at all"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "f.vetx")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readTypes(name)
		if err != nil {
			return
		}
		if len(got) < 1 || got[0] != 'i' || len(got)-1 > len(data)-12 || !bytes.Equal(got[1:], data[12:12+len(got)-1]) {
			t.Fatalf("readTypes(%q) = %q", data, got)
		}
	})
}

// readTypes returns the types of the vetx file name with gcexportdata's
// leading 'i'.
func readTypes(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if len(data) < 12 || string(data[:4]) != magic {
		return nil, fmt.Errorf("%s is no vetx file", name)
	}
	n := uint64(binary.LittleEndian.Uint32(data[4:8]))
	if 12+n > uint64(len(data)) {
		return nil, fmt.Errorf("vetx file %s claims %d bytes of types, holds %d", name, n, len(data)-12)
	}
	// data[11], the facts' length's last byte, becomes the format's 'i'.
	data[11] = 'i'
	return data[11 : 12+n], nil
}
