package dev.priorityqueues.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The KMS calls a service makes with its caller's permissions when the resource is under a
 * customer-managed key: what AWS then also checks against the caller's role and the key policy.
 *
 * <ul>
 *   <li>SQS: SendMessage needs {@code kms:GenerateDataKey} and {@code kms:Decrypt}, ReceiveMessage
 *       {@code kms:Decrypt} (SQS Developer Guide, "Amazon SQS key management"). Checked on every
 *       receive, also an empty one, where SQS would need no key: stricter than AWS.
 *   <li>S3 (SSE-KMS): PutObject and CreateMultipartUpload need {@code kms:GenerateDataKey};
 *       UploadPart and CompleteMultipartUpload {@code kms:Decrypt}; GetObject {@code kms:Decrypt}
 *       (S3 User Guide, SSE-KMS permissions; "Multipart upload API and permissions"). HeadObject
 *       reads no data and needs none.
 *   <li>DynamoDB: any item call needs {@code kms:Decrypt} for the table key (DynamoDB Developer
 *       Guide, "How Amazon DynamoDB uses AWS KMS"). Checked on every call; DynamoDB caches the
 *       table key per caller for up to five minutes, so a revoked grant takes that long on AWS.
 * </ul>
 *
 * Each call reaches KMS through its service, so its context has {@code kms:ViaService}.
 */
final class KeyUses {
  private KeyUses() {}

  /** One KMS authorization a call needs: the action on the key, through the service. */
  record Use(String action, String keyArn, String viaService) {}

  static List<Use> of(String service, String operation, List<AwsRequests.Access> accesses,
      Map<String, String> keyByResource, String region) {
    if (keyByResource.isEmpty()) {
      return List.of();
    }
    List<Use> uses = new ArrayList<>();
    for (AwsRequests.Access access : accesses) {
      switch (service) {
        case "Sqs" -> {
          String key = keyByResource.get(access.resource());
          if (access.action().equals("sqs:SendMessage")) {
            add(uses, key, "sqs", region, "kms:GenerateDataKey", "kms:Decrypt");
          } else if (access.action().equals("sqs:ReceiveMessage")) {
            add(uses, key, "sqs", region, "kms:Decrypt");
          }
        }
        case "DynamoDb" -> {
          String table = access.resource().replaceFirst("/index/.*$", "");
          add(uses, keyByResource.get(table), "dynamodb", region, "kms:Decrypt");
        }
        case "S3" -> {
          String resource = access.resource().substring("arn:aws:s3:::".length());
          int slash = resource.indexOf('/');
          String key = keyByResource.get("arn:aws:s3:::" + (slash < 0 ? resource : resource.substring(0, slash)));
          if (access.action().equals("s3:PutObject")) {
            boolean part = operation.equals("UploadPart") || operation.equals("CompleteMultipartUpload");
            add(uses, key, "s3", region, part ? "kms:Decrypt" : "kms:GenerateDataKey");
          } else if (operation.equals("GetObject") || (operation.equals("CopyObject")
              && access.action().equals("s3:GetObject"))) {
            add(uses, key, "s3", region, "kms:Decrypt");
          }
        }
        default -> {
          // IAM enforcement maps only the services above (AwsRequests).
        }
      }
    }
    return uses;
  }

  /** A presigned PUT, checked as S3 checks it: the signer must be able to generate the object's data key. */
  static List<Use> presignedPut(String bucket, Map<String, String> keyByResource, String region) {
    List<Use> uses = new ArrayList<>();
    add(uses, keyByResource.get("arn:aws:s3:::" + bucket), "s3", region, "kms:GenerateDataKey");
    return uses;
  }

  private static void add(List<Use> uses, String keyArn, String service, String region, String... actions) {
    if (keyArn == null) {
      return;
    }
    for (String action : actions) {
      uses.add(new Use(action, keyArn, service + "." + region + ".amazonaws.com"));
    }
  }
}
