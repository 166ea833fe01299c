package fix

import (
	"bytes"
	"slices"
	"sync"

	"github.com/keyscan/keyscan/internal/keywords"
)

// findEndpoint's expressions each need a word on the line they match (or,
// for a YAML name: whose value: follows, on the next): a line without one
// cannot match, and one keyword scan of the file (keywords.Set, case-blind
// as the expressions' (?i) is) tells which lines to read. The groups:
//
//   - wordsEndpoint: endpointSetting (endpoint, host_base, host_bucket),
//     endpointName, endpointFlag (--endpoint-url, configure set
//     …endpoint_url), endpointElem, endpointItem and endpointArg.
//   - wordsHCL: hclHint's endpoints, path-style switches and skip_ checks.
//   - wordsMC, wordsS3cmd: mcAlias's mc and s3cmdHost's s3cmd.
//   - wordsPathStyle: pathStyleSetting's and pathStyleName's names.
//   - wordsStorage, wordsProvider, wordsValue: storageSetting's
//     (storageDesc): storageEndpoint needs a storage word in the name, a
//     storage host in the value or a storage port; foreignRegion a name
//     ending in region; providerSetting a service word in the name (with a
//     true value), or a storage or provider word in the name and a service
//     or custom word in the value.
//   - wordsMetadataOff: metadataOffIn's variable.
const (
	wordsEndpoint uint16 = 1 << iota
	wordsHCL
	wordsMC
	wordsS3cmd
	wordsPathStyle
	wordsStorage
	wordsProvider
	wordsValue
	wordsMetadataOff
)

// endpointWords is the compiled set of findEndpoint's words, the storage
// groups built from the lists the checks themselves read so that the two
// cannot part.
var endpointWords = sync.OnceValue(func() *keywords.Set {
	var pathStyles []string
	for _, w := range []string{"path", "addressing"} {
		for _, sep := range []string{"", "_", ".", "-"} {
			pathStyles = append(pathStyles, w+sep+"style")
		}
	}
	return keywords.New(
		[]string{"endpoint", "host_base", "host_bucket"},
		[]string{"endpoints", "path_style", "skip_"},
		[]string{"mc"},
		[]string{"s3cmd"},
		pathStyles,
		slices.Concat(storageNameWords, storageHosts, storagePorts, s3Services, []string{"region"}),
		providerNameWords,
		slices.Concat(s3ServiceValues, s3CustomValues),
		[]string{metadataOffVar},
	)
})

// lineWords returns the groups of findEndpoint's words line l holds,
// scanning the whole file on first use.
func (e *editor) lineWords(l int) uint16 {
	if e.words == nil {
		e.words = endpointWords().Lines(e.data)
	}
	if l < len(e.words) {
		return e.words[l]
	}
	return 0
}

// mayNameStorage reports whether storageSetting can find a setting on line
// l (whose value: may be line l+1's, in YAML, up to line last).
func (e *editor) mayNameStorage(l, last int) bool {
	m := e.lineWords(l)
	if e.syn == YAML && l+1 <= last {
		m |= e.lineWords(l + 1)
	}
	if m&wordsStorage == 0 && (m&wordsProvider == 0 || m&wordsValue == 0) {
		return false
	}
	// anySetting and yamlName need a separator on line l; a Dockerfile's
	// ENV NAME value (legacyEnv) has none.
	return e.syn == Dockerfile || bytes.ContainsAny(e.data[e.lines[l].start:e.lines[l].end], "=:")
}
