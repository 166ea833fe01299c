import { SQSClient } from "@aws-sdk/client-sqs";
export const sqs: SQSClient = new SQSClient({
  credentials: {
    accessKeyId: "{{ID}}",
    secretAccessKey: "{{SECRET}}",
  },
});
