// Package vetx answers the runs go vet and go fix make of their tool for
// the packages a vetted package depends on, when the tool's analyzers
// export no facts.
//
// The go command runs a vet tool once per package of the build graph: once
// for each package the user names, and once "VetxOnly" for each package
// they depend on, the standard library's and the SDKs' included (~300
// packages for a program that uses the AWS SDKs). A VetxOnly run reports
// nothing; it leaves in a "vetx" file what the runs of the packages that
// import it need: the package's facts and, for unitchecker, its types.
// unitchecker makes that file by checking the whole package from source,
// and reads its imports' types back only from these files, although the go
// command also hands every run the compiler's export data of the package's
// direct imports (PackageFile), which it compiles in any case.
//
// keyscan's analyzer exports no facts, so a VetxOnly run has nothing to
// compute: WriteEmpty writes a file with no types and no facts. The runs
// that report (the packages the user named) take their imports' types from
// the compiler instead: FromExportData reads each direct import's export
// data, writes the vetx files unitchecker reads beside the run's own
// output, and a copy of the run's config that names them. The go command
// asks for the VetxOnly runs again whenever the tool's ID changes
// (keyscan's hashes the module's side files), so their cost was paid
// often: an uncached go vet of a program on the AWS SDK v2 went from 6.7 to
// 2.2 CPU seconds when they stopped checking declarations (and from 12 s
// when they checked whole packages, as unitchecker's do).
//
// The file's layout is unitchecker's own: "vetx", the lengths of the types
// and of the facts (little-endian uint32s), the types in the indexed export
// format that gcexportdata writes, then the facts (none here).
// TestFromExportDataAsUnitchecker checks, with unitchecker itself, that a
// package sees the same types through the files FromExportData writes as
// through unitchecker's own.
package vetx

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
)

// Config is what this package reads of the JSON file the go command
// describes a package with (unitchecker.Config's fields of the same names),
// with the file's name and bytes, which Typed copies.
type Config struct {
	ImportPath  string            // the package's path
	GoFiles     []string          // the package's Go files, cgo's output included
	ImportMap   map[string]string // import path in the source to package path, where they differ (vendoring)
	PackageFile map[string]string // package path to the compiler's export data of a direct import
	PackageVetx map[string]string // package path to the vetx file of a direct import
	VetxOnly    bool              // the run reports nothing, only writes VetxOutput
	VetxOutput  string            // where the vetx file goes

	name string // the file read
	data []byte // its bytes
}

// ReadConfig reads the go command's description of a package, name.
func ReadConfig(name string) (*Config, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	cfg := &Config{name: name, data: data}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("cannot decode vet config %s: %v", name, err)
	}
	if len(cfg.GoFiles) == 0 {
		return nil, fmt.Errorf("package has no files: %s", cfg.ImportPath)
	}
	return cfg, nil
}

// UsesFacts reports whether any of analyzers, or an analyzer they require,
// exports facts: then a VetxOnly run must run them, and WriteEmpty is not
// enough.
func UsesFacts(analyzers ...*analysis.Analyzer) bool {
	seen := map[*analysis.Analyzer]bool{}
	var uses func(a *analysis.Analyzer) bool
	uses = func(a *analysis.Analyzer) bool {
		if seen[a] {
			return false
		}
		seen[a] = true
		if len(a.FactTypes) > 0 {
			return true
		}
		for _, r := range a.Requires {
			if uses(r) {
				return true
			}
		}
		return false
	}
	for _, a := range analyzers {
		if uses(a) {
			return true
		}
	}
	return false
}

// magic opens every vetx file.
const magic = "vetx"

// WriteEmpty writes the vetx file of a VetxOnly run: no types, no facts.
// No run reads its types: FromExportData gives the runs that report their
// imports' types from the compiler.
func WriteEmpty(cfg *Config) error {
	var header [12]byte
	copy(header[:], magic)
	return os.WriteFile(cfg.VetxOutput, header[:], 0o666)
}

// FromExportData is ReadConfig, then Typed.
func FromExportData(name string) (string, error) {
	cfg, err := ReadConfig(name)
	if err != nil {
		return "", err
	}
	return cfg.Typed()
}

// Typed, for a run that reports, writes for each direct import of the
// package a vetx file holding its types, read from the compiler's export
// data that the config names (PackageFile), and a copy of the config whose
// PackageVetx names them; it returns that copy's name, to be run in the
// config's place. The files go in the folder of the run's own vetx output,
// the go command's work folder for the package, which it removes. An
// import with no export data keeps its entry; a package that has no
// imports keeps its config.
func (cfg *Config) Typed() (string, error) {
	if len(cfg.PackageVetx) == 0 {
		return cfg.name, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(cfg.data, &raw); err != nil {
		return "", fmt.Errorf("cannot decode vet config %s: %v", cfg.name, err)
	}
	dir := filepath.Dir(cfg.name)
	if cfg.VetxOutput != "" {
		dir = filepath.Dir(cfg.VetxOutput)
	}
	dir = filepath.Join(dir, "keyscan-types")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	imports := map[string]*types.Package{}
	vetx := make(map[string]string, len(cfg.PackageVetx))
	for i, path := range slices.Sorted(maps.Keys(cfg.PackageVetx)) {
		vetx[path] = cfg.PackageVetx[path]
		file, ok := cfg.PackageFile[path]
		if !ok {
			continue
		}
		pkg, err := readExport(file, fset, imports, path)
		if err != nil {
			return "", fmt.Errorf("reading the types of %s, imported by %s: %v", path, cfg.ImportPath, err)
		}
		out := filepath.Join(dir, strconv.Itoa(i)+".vetx")
		if err := writeTypes(out, fset, pkg); err != nil {
			return "", err
		}
		vetx[path] = out
	}
	var err error
	if raw["PackageVetx"], err = json.Marshal(vetx); err != nil {
		return "", err
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return "", err
	}
	typed := filepath.Join(dir, "vet.cfg")
	return typed, os.WriteFile(typed, data, 0o666)
}

// readExport reads package path's types from the compiler's export data
// in file (an archive or object file), into imports.
func readExport(file string, fset *token.FileSet, imports map[string]*types.Package, path string) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	return gcexportdata.Read(r, fset, imports, path)
}

// Importer returns an importer of the package's direct imports from the
// compiler's export data (PackageFile), each read once; an import with
// none is an error. keyscan weighs the instances a package's calls of
// imported generic functions make with it before the type check
// (analyzer.GoFilesCheckableWith).
func (cfg *Config) Importer() types.Importer {
	fset := token.NewFileSet()
	imports := map[string]*types.Package{}
	return importerFunc(func(path string) (*types.Package, error) {
		if p, ok := cfg.ImportMap[path]; ok {
			path = p
		}
		if p, ok := imports[path]; ok && p.Complete() {
			return p, nil
		}
		file, ok := cfg.PackageFile[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return readExport(file, fset, imports, path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// writeTypes writes the vetx file name with pkg's types and no facts.
func writeTypes(name string, fset *token.FileSet, pkg *types.Package) error {
	// The header's 12 bytes, then gcexportdata's 'i' and the types: the
	// 'i' is the last byte of the facts' length, 0.
	var buf bytes.Buffer
	buf.Write(make([]byte, 11))
	if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
		return fmt.Errorf("exporting the types of %s: %v", pkg.Path(), err)
	}
	data := buf.Bytes()
	copy(data, magic)
	binary.LittleEndian.PutUint32(data[4:8], uint32(len(data)-12))
	binary.LittleEndian.PutUint32(data[8:12], 0)
	return os.WriteFile(name, data, 0o666)
}
