package archive

import (
	"bytes"
	"path"
	"strings"

	"github.com/keyscan/keyscan/scanner/archive/cfb"
	"github.com/keyscan/keyscan/scanner/archive/vba"
)

// findTries is how many places of a VBA module stream with no readable
// dir stream are tried for the start of its compressed source.
const findTries = 64

// ole opens a compound file (OLE2: .doc, .xls, .ppt, .msg, .msi, and the
// vbaProject.bin of .xlsm, .docm and .pptm) as an archive of its streams,
// each whole with its sectors in their chain's order (report.xls!Workbook),
// and a VBA project's modules as their decompressed source
// (report.xlsm!xl/vbaProject.bin!VBA/Module1: qa16 HIGH-9), where the file's
// own bytes hold it cut every 8 bytes. The project's dir stream says where
// each module's source starts; without it, the source is looked for (the
// stream's last part, a container that decodes to its end). What cannot
// be read is counted.
func (w *walker) ole(name string, data []byte, lv *level, depth int) {
	f, err := cfb.Open(data)
	if err != nil {
		w.warn(name, "compound file (OLE2) whose header, FAT or directory cannot be read: its streams are not scanned, only its own bytes")
		return
	}
	es, more, err := f.Streams(w.lim.entries())
	if err != nil {
		w.warn(name, "compound file (OLE2) whose directory cannot be read whole: the streams it lists after the %d read are not scanned", len(es))
	}
	limit := int(min(w.lim.MaxMemberSize+1, 1<<40))
	// What the dir streams decode to and vba.Find decodes looking for
	// sources, over every stream of the file: one module at the limit,
	// or the file's size many times (any number of streams may share
	// one chain).
	budget := max(limit, 16*len(data))
	findBudget := budget
	// Where each module's source starts, by its stream's path.
	modules := map[string]int{}
	projects := map[string]bool{}
	for _, e := range es {
		dir, base := path.Split(e.Path)
		if base != "dir" || !strings.EqualFold(path.Base(dir), "VBA") {
			continue
		}
		projects[dir] = true
		if findBudget <= 0 {
			w.warn(name+"!"+e.Path, "VBA project's dir stream not read: the file's dir and module streams were decoded past %d bytes", budget)
			continue
		}
		b, err := f.Read(e)
		if err == nil {
			var spent int
			b, err = vba.DecompressCharged(b, min(limit, findBudget), &spent)
			findBudget -= spent
		}
		var ms []vba.Module
		if err == nil {
			ms, err = vba.Modules(b)
		}
		if err != nil {
			w.note(name+"!"+e.Path, "VBA project's dir stream cannot be read: its modules' sources are looked for in their streams")
		}
		for _, m := range ms {
			modules[dir+m.Stream] = m.Offset
		}
	}
	for _, e := range es {
		b, err := f.Read(e)
		if err != nil {
			w.unread(name, e.Path, "stream whose sectors cannot be read: not scanned")
			continue
		}
		dir, base := path.Split(e.Path)
		var src []byte
		off, isModule := modules[e.Path]
		switch {
		case !isModule && strings.EqualFold(path.Base(dir), "VBA") && !vbaOwn(base):
			// A module stream the dir stream does not name (or there is
			// no dir stream): its source is looked for, decoded once.
			_, src, err = vba.Find(b, limit, findTries, &findBudget)
			isModule = true
		case isModule && off >= 0 && off <= len(b) && findBudget <= 0:
			err = vba.ErrBudget
		case isModule && off >= 0 && off <= len(b):
			var spent int
			src, err = vba.DecompressCharged(b[off:], min(limit, findBudget), &spent)
			findBudget -= spent
		case isModule:
			err = vba.ErrCorrupt
		}
		switch {
		case !isModule:
		case err == vba.ErrBudget:
			w.warn(name+"!"+e.Path, "VBA module stream whose source was not looked for (the file's dir and module streams were decoded past %d bytes): its stream is scanned as it is", budget)
		case err != nil:
			w.warn(name+"!"+e.Path, "VBA module whose source does not decompress: its stream is scanned as it is")
		default:
			b = src
		}
		if !w.member(name, e.Path, w.meter(bytes.NewReader(b), lv), depth) {
			return
		}
	}
	if more {
		w.tooMany(name)
	}
}

// vbaOwn reports whether a stream of a VBA storage is the project's own,
// not a module: its dir stream, its compiled state, its SRP caches.
func vbaOwn(base string) bool {
	return base == "dir" || strings.EqualFold(base, "_VBA_PROJECT") || strings.HasPrefix(base, "__SRP_")
}
