package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/keyscan/keyscan/analyzer"
)

func TestLiterals(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "literals")
}

func TestFolded(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "folded")
}

func TestComments(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "comments")
}

func TestSDKv2(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "sdkv2", "lookalike")
}

func TestSDKv1(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "sdkv1")
}

func TestSplit(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "split/...")
}

// TestSDKEnv: a package that sets AWS_ENDPOINT_URL has no aws-sdk-go-v2
// fix; aws-sdk-go v1 does not read it, and keeps its fix.
func TestSDKEnv(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "sdkenv", "sdkenvtest")
}

// TestSDKPerOperation: a per-operation option that may point a call at
// another server withholds every fix of the package, also when it is in a
// test file; options read whole that set no endpoint do not.
func TestSDKPerOperation(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "sdkperop", "sdkperopread", "sdkperoptest", "sdkpresign")
}

// TestSDKElsewhere: a package that names an S3-compatible service's host
// (Wasabi's, whose regions are AWS's names), or rewrites a request's host
// in code keyscan does not follow to the client, has no fix, v1 or v2.
func TestSDKElsewhere(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "sdkhost", "sdkrewrite", "sdkdial", "sdkdialfunc", "sdkdialmethod", "sdkdialstd")
}

// TestConstantBomb: constants doubled past any memory are not read, and do
// not stop the pass.
func TestConstantBomb(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "bomb")
}

// TestWordIDs: upper-case words that start like a key ID are not reported
// (qa33 M4), but where the line names an access key ID.
func TestWordIDs(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, "wordids")
}
