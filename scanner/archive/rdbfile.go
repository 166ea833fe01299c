package archive

import (
	"bytes"
	"fmt"

	"github.com/keyscan/keyscan/scanner/archive/rdb"
)

// rdb opens a Redis dump's LZF-compressed strings (qa16 MEDIUM-3): each
// is a member named by where its marker is (dump.rdb!lzf@1234), its text
// whole, where the file's own bytes (scanned by the caller as a binary
// file's) hold it cut every 32 bytes or less. The strings tried decode to
// no more than the level may still give; past that, and a string over
// max_file_size, are counted.
func (w *walker) rdb(name string, data []byte, lv *level, depth int) {
	room, _ := w.room(lv)
	tooLarge, err := rdb.Strings(data, w.lim.MaxMemberSize, room, func(s rdb.String) bool {
		return w.member(name, fmt.Sprintf("lzf@%d", s.Offset), w.meter(bytes.NewReader(s.Data), lv), depth)
	})
	if tooLarge > 0 {
		w.stats.TooLarge += tooLarge
		w.warn(name, "%d LZF-compressed strings larger than %d bytes (max_file_size): not scanned whole", tooLarge, w.lim.MaxMemberSize)
	}
	if err != nil {
		w.warn(name, "%v (the archive limits: max_bytes, max_ratio): the strings after are not scanned whole", err)
	}
}
