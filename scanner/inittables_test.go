package scanner

import (
	"reflect"
	"testing"
)

// TestInitTables checks tables built at start-up against the plain
// construction they replaced: awsByPair and awsPairWords against every byte
// pair that hasPrefixFold takes, trigramBits against every trigram of
// commonTrigrams.
func TestInitTables(t *testing.T) {
	pairs := new([1 << 16]uint8)
	lists := [][]awsWord{nil}
	for _, w := range awsWords {
		for a := range 256 {
			for b := range 256 {
				if hasPrefixFold([]byte{byte(a), byte(b)}, w.w[:2]) {
					k := a<<8 | b
					if pairs[k] == 0 {
						pairs[k] = uint8(len(lists))
						lists = append(lists, nil)
					}
					lists[pairs[k]] = append(lists[pairs[k]], w)
				}
			}
		}
	}
	if *pairs != *awsByPair || !reflect.DeepEqual(lists, awsPairWords) {
		t.Error("awsByPair or awsPairWords differ from every pair hasPrefixFold takes")
	}

	tri := new([1 << 15 / 64]uint64)
	for a := range 26 {
		for b := range 26 {
			for c := range 26 {
				if k := trigramIndex(byte('a'+a), byte('a'+b), byte('a'+c)); commonTrigrams[k/64]&(1<<(k%64)) != 0 {
					i := a<<10 | b<<5 | c
					tri[i/64] |= 1 << (i % 64)
				}
			}
		}
	}
	if *tri != *trigramBits {
		t.Error("trigramBits differs from commonTrigrams")
	}
}
