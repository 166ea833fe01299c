const creds = new AWS.Credentials("{{ID}}", "{{SECRET}}");
module.exports = creds;
