// Package awsregion tells a region name AWS has from one an S3-compatible
// service uses in its place (Cloudflare R2's auto, DigitalOcean's nyc3,
// Linode's us-iad-1, Wasabi's us-central-1). A client set to such a
// region talks to that service, whose keys the EC2 instance role cannot
// replace: keyscan fix and go fix both keep the keys of such a client.
package awsregion

import (
	"regexp"
	"slices"
)

// awsShape matches the names AWS gives its regions: an area AWS has
// regions in (us, eu, ap, sa, ca, me, af, il, mx, cn, the European
// Sovereign Cloud's eusc-de), a partition's mark (gov, iso), a compass
// direction and a number: us-east-1, eu-central-2, us-gov-west-1,
// cn-northwest-1, us-iso-east-1. S3-compatible services copy the shape
// with words of their own: Linode's data centres are named for their
// airports (us-iad-1, fr-par-1, de-fra-2, jp-osa-1), Scaleway's fr-par
// has no number. word matches a literal region value worth judging (lower
// case, not a variable or an expression).
var (
	awsShape = regexp.MustCompile(`^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|eusc-de)(?:-gov|-iso[a-z]?)?-` +
		`(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-[0-9]{1,2}$`)
	word = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// notAWS are names in AWS's shape that AWS has no region by, and
// S3-compatible services do: Wasabi's us-central-1 (Texas), Linode's
// us-southeast-1 (Atlanta). Wasabi's and Linode's other regions share
// AWS's names (us-east-1, eu-central-1): those clients are known only by
// their address or a provider word.
var notAWS = []string{"us-central-1", "us-central-2", "us-southeast-1", "us-southeast-2", "us-northeast-1", "us-south-1",
	"us-north-1", "eu-east-1", "eu-east-2"}

// Foreign reports whether v, a literal region value as written, names a
// region AWS does not have. A value with capitals or other characters is
// something else (a variable, base64) and is not judged; "global" (IAM,
// CloudFront) is AWS's.
func Foreign(v string) bool {
	return word.MatchString(v) && (!awsShape.MatchString(v) || slices.Contains(notAWS, v)) && v != "global"
}
