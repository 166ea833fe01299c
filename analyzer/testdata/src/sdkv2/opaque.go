package sdkv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// An option func declared in the package: keyscan reads its body and finds
// the endpoint there (qa7 HIGH-4, case A).
func withMinio(o *s3.Options) {
	o.BaseEndpoint = aws.String("http://minio.local:9000")
	o.UsePathStyle = true
}

func namedOption(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIADCLOE77T7MIPVMXI", "Vu+cM6TUD/jV8+80Po5G3u6F8ttd2x6iEEZWIVIy", ""))) // want `AKIA\*+VMXI .*no automatic fix: the client has a custom endpoint \(BaseEndpoint, in withMinio\)` `Vu\+c\*+IVIy .*custom endpoint`
	return s3.NewFromConfig(cfg, withMinio)
}

// Options from a package variable: any code of the package may change it
// (case B).
var minioOpts = []func(*s3.Options){withMinio}

func packageOptions(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA2YL6X7ZUNJMXL2SD", "g3Hxs2/+reweeN6Vpd7rz/o6vBO4C26+reGaE+ZO", ""))) // want `AKIA\*+L2SD .*no automatic fix: the credentials go with the package variable minioOpts, given to s3.NewFromConfig, which keyscan cannot read whole` `g3Hx\*+E\+ZO .*cannot read whole`
	return s3.NewFromConfig(cfg, minioOpts...)
}

// A local slice of option funcs is read through its values.
func localOptions(ctx context.Context) *s3.Client {
	opts := []func(*s3.Options){}
	opts = append(opts, withMinio)
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAETASZIEG2IUXKJDQ", "htzGVI1vssPjScr+JdWLF1j6y6Jc/tadv0jLq5fA", ""))) // want `AKIA\*+KJDQ .*custom endpoint \(BaseEndpoint, in withMinio\)` `htzG\*+q5fA`
	return s3.NewFromConfig(cfg, opts...)
}

// An option func that hands the options to another function, which sets
// the endpoint.
func configure(o *s3.Options) {
	o.Hooks = nil
	pointAt(o, "http://ceph.internal:7480")
}

func pointAt(o *s3.Options, url string) { o.BaseEndpoint = &url }

func throughHelper(ctx context.Context) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAK2KK3U2IWNMACRZS", "AHPHm+sqRO6Q0X7R/3qVHuH/4Ua4mC55eqrZxhwx", ""))) // want `AKIA\*+CRZS .*custom endpoint \(BaseEndpoint, in pointAt\)` `AHPH\*+xhwx`
	return s3.NewFromConfig(cfg, configure)
}

// The caller's options: an exported function's callers are not all in the
// package.
func NewClient(ctx context.Context, optFns ...func(*s3.Options)) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIA3YBMO2EX2SWDOGO5", "mFC1GozxgI/wRLxpev+dNlwSgkSGULOgryWQ4t43", ""))) // want `AKIA\*+OGO5 .*no automatic fix: the credentials go with the parameter optFns of the exported function NewClient` `mFC1\*+4t43`
	return s3.NewFromConfig(cfg, optFns...)
}

// An unexported function's parameter is read at each call: here one call
// gives the MinIO option.
func newClient(ctx context.Context, optFns ...func(*s3.Options)) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAGOCBGOIFFAPORFTJ", "wSbNPUebCsR7YScdeOHwd093Vx+qjaoV/Z2OHJ+k", ""))) // want `AKIA\*+RFTJ .*custom endpoint \(BaseEndpoint, in withMinio\)` `wSbN\*+HJ\+k`
	return s3.NewFromConfig(cfg, optFns...)
}

func callers(ctx context.Context) (*s3.Client, *s3.Client) {
	return newClient(ctx), newClient(ctx, withMinio)
}

// A method value: keyscan does not follow it.
type tenant struct{ endpoint string }

func (t tenant) options(o *s3.Options) { o.UsePathStyle = true }

func methodOption(ctx context.Context, t tenant) *s3.Client {
	cfg, _ := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAFUEFAXTUZJVUNEUJ", "hWxBuDE4+f2ApAMPn094YY+Fw6BRoALPr/+wy/8R", ""))) // want `AKIA\*+NEUJ .*no automatic fix: the credentials go with the field or method value t.options` `hWxB\*+y/8R`
	return s3.NewFromConfig(cfg, t.options)
}

// A shared-config profile other than the default may set endpoint_url.
func profile(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("minio"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAXZG36AN6M3EJIL3G", "h6/cr41IkNKBwpG3pDPES+JGxxUEYNyenEftfQfl", ""))) // want `AKIA\*+IL3G .*no automatic fix: the config chooses a shared-config profile or file \(config.WithSharedConfigProfile\("minio"\)\), whose endpoint_url` `h6/c\*+fQfl`
}

// The options literal's other fields go with the credentials.
var apiOptions []func(*s3.Options)

func siblingField() *s3.Client {
	return s3.New(s3.Options{
		Credentials: credentials.NewStaticCredentialsProvider("AKIAN4TCI73IX7HPYUJK", "AHPHm+sqRO6Q0X7R/3qVHuH/4Ua4mC55eqrZxhwx", ""), // want `AKIA\*+YUJK .*the credentials go with the package variable apiOptions` `AHPH\*+xhwx`
		Hooks:       apiOptions,
	})
}
