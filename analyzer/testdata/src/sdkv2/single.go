package sdkv2

import "github.com/aws/aws-sdk-go-v2/credentials"

// Any interface a *aws.CredentialsCache satisfies will do.
var provider any = credentials.NewStaticCredentialsProvider("AKIA2EEHEORW3D6F4DWM", "xVmpIVgCs/rmM9TK+O6EjwEmSXzIA/zAQl1TkmIX", "") // want `AKIA\*+4DWM .*the config leaves this function \(stored in the package variable provider` `xVmp\*+kmIX`
