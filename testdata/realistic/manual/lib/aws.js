const AWS = require("aws-sdk");
AWS.config.credentials = new AWS.Credentials("{{ID2}}", "{{SECRET2}}");
