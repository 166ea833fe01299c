// Package comments has keys in comments.
//
// Old key: AKIAZQUA24AN3SBJAQJ5, do not use. // want `AWS access key ID AKIA\*+AQJ5 .*in a comment: delete it from the comment`
package comments

// want +3 `AWS access key ID AKIA\*+TWJW .*in a comment`
// want +3 `AWS secret access key 5FvQ\*+72IL .*in a comment`
/*
aws_access_key_id = AKIAKJAD7N72ICT2TWJW
aws_secret_access_key = 5FvQeV3uAUmo8Kpvngmy10bJBLl+nof02/Xu72IL
*/

// F does nothing. Its example key stays silent: AKIAIOSFODNN7EXAMPLE.
func F() {} // AKIAORCARJA6MRSPNT3R // want `AKIA\*+NT3R .*in a comment`
