package analyzer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The fix hands a client to the EC2 instance role, which reaches a program
// only through an instance's metadata service. AWS Lambda and ECS on
// Fargate offer none: there ec2rolecreds finds no credentials, where the
// SDK's default chain would have found the function's or the task's role
// in the environment or the container endpoint. A pod with an IAM role
// for its service account (EKS IRSA) gets its role from a web identity
// token; ec2rolecreds would skip it for the node's role (more rights), or
// find nothing where the node blocks the metadata service, as EKS
// recommends (qa25 M5). A module that deploys its programs so is read as
// where the package runs, as a module's settings of the environment are
// (moduleScan), and the fix is withheld: removing the static provider by
// hand, so that the default chain finds the right role, is the change.

// lambdaPackage is the import path of the AWS Lambda runtime for Go: a
// program that calls lambda.Start runs as a function.
const lambdaPackage = "github.com/aws/aws-lambda-go/lambda"

// lambdaImported returns, marked, the first of the linked folders (in
// order) whose package imports the Lambda runtime, or "".
func lambdaImported(root string, imports map[string][]string, linked map[string]bool) string {
	var ds []string
	for d := range linked {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	for _, d := range ds {
		for _, ip := range imports[d] {
			if ip == lambdaPackage || strings.HasPrefix(ip, lambdaPackage+"/") {
				rel := d
				if r, err := filepath.Rel(root, d); err == nil {
					rel = filepath.ToSlash(r)
				}
				return fmt.Sprintf("%sa package linked with it (%s) imports %s: it runs on AWS Lambda", noMetadataMark, rel, ip)
			}
		}
	}
	return ""
}

// Deployment descriptions that run a program without instance metadata:
// a CloudFormation or SAM function, an ECS task for Fargate (task
// definition JSON, Terraform, Copilot or CDK output), an EKS service
// account's role annotation.
var (
	lambdaResource = regexp.MustCompile(`AWS::(?:Serverless|Lambda)::Function\b`)
	fargateWord    = regexp.MustCompile(`\bFARGATE(?:_SPOT)?\b`)
	irsaAnnotation = regexp.MustCompile(`\beks\.amazonaws\.com/role-arn\b`)
	// A Serverless Framework service on AWS: serverless.yml's provider.
	serverlessAWS = regexp.MustCompile(`(?m)^provider:\s*(?:\n[ \t]+(?:#.*\n[ \t]+)*)?name:\s*['"]?aws\b`)
)

// noMetadataFile returns, marked, where file b (rel, named name) deploys a
// program where no instance metadata serves the instance role, or "".
func noMetadataFile(b []byte, rel, name string) string {
	line := func(at int) int { return 1 + bytes.Count(b[:at], []byte("\n")) }
	if m := lambdaResource.FindIndex(b); m != nil {
		return fmt.Sprintf("%s%s, declared in %s:%d: it runs on AWS Lambda", noMetadataMark, b[m[0]:m[1]], rel, line(m[0]))
	}
	if n := strings.ToLower(name); n == "serverless.yml" || n == "serverless.yaml" {
		if m := serverlessAWS.FindIndex(b); m != nil {
			return fmt.Sprintf("%sa Serverless Framework service on AWS, in %s:%d: it runs on AWS Lambda", noMetadataMark, rel, line(m[0]))
		}
	}
	if m := fargateWord.FindIndex(b); m != nil {
		return fmt.Sprintf("%s%s, named in %s:%d: it runs as an ECS task on Fargate", noMetadataMark, b[m[0]:m[1]], rel, line(m[0]))
	}
	if m := irsaAnnotation.FindIndex(b); m != nil {
		return fmt.Sprintf("%s%s, set in %s:%d: it runs in a pod with its service account's own role (EKS IRSA)", noMetadataMark, b[m[0]:m[1]], rel, line(m[0]))
	}
	return ""
}
