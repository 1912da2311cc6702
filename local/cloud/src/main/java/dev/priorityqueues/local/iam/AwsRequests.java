package dev.priorityqueues.local.iam;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;

/**
 * What IAM sees of an SDK call: the action and the resource ARNs it is authorized against. Only
 * the services the project uses are mapped; any other call is reported as unmapped so a gap is
 * loud, never silently allowed.
 */
public final class AwsRequests {
  private AwsRequests() {}

  /** One authorization the call needs. */
  public record Access(String action, String resource) {}

  public static List<Access> accesses(String service, String operation, SdkRequest request, String region, String account) {
    return switch (service) {
      case "Sqs" -> List.of(new Access("sqs:" + sqsAction(operation), queueArn(request, region, account)));
      case "DynamoDb" -> operation.startsWith("Batch")
          // A batch call is authorized against every table it names, as its own action.
          ? request.getValueForField("RequestItems", java.util.Map.class).map(items -> ((java.util.Map<?, ?>) items).keySet())
              .orElse(java.util.Set.of()).stream()
              .map(table -> new Access("dynamodb:" + operation, "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table))
              .toList()
          : List.of(new Access("dynamodb:" + operation, tableArn(request, region, account)));
      case "S3" -> s3(operation, request);
      default -> throw new IllegalStateException("IAM enforcement has no mapping for " + service + "." + operation);
    };
  }

  private static String sqsAction(String operation) {
    // Batch calls are authorized as their single-message actions.
    return operation.endsWith("Batch") ? operation.substring(0, operation.length() - "Batch".length()) : operation;
  }

  private static String queueArn(SdkRequest request, String region, String account) {
    String url = request.getValueForField("QueueUrl", String.class).orElse(null);
    if (url == null) {
      String name = request.getValueForField("QueueName", String.class).orElse("*");
      return "arn:aws:sqs:" + region + ":" + account + ":" + name;
    }
    String path = URI.create(url).getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    return "arn:aws:sqs:" + region + ":" + account + ":" + name;
  }

  private static String tableArn(SdkRequest request, String region, String account) {
    String table = request.getValueForField("TableName", String.class).orElse("*");
    // A query of an index is authorized against the index's own ARN.
    String index = request.getValueForField("IndexName", String.class).map(i -> "/index/" + i).orElse("");
    return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table + index;
  }

  private static List<Access> s3(String operation, SdkRequest request) {
    String bucket = request.getValueForField("Bucket", String.class).orElse("*");
    String key = request.getValueForField("Key", String.class).orElse(null);
    String object = "arn:aws:s3:::" + bucket + "/" + key;
    String bucketArn = "arn:aws:s3:::" + bucket;
    return switch (operation) {
      // A read of a given version is s3:GetObjectVersion (S3's authorization of GetObject and
      // HeadObject: "to return a different version, you need s3:GetObjectVersion").
      case "GetObject", "HeadObject" -> List.of(new Access(
          request.getValueForField("VersionId", String.class).isPresent() ? "s3:GetObjectVersion" : "s3:GetObject",
          object));
      case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" ->
          List.of(new Access("s3:PutObject", object));
      // Deleting a given version is s3:DeleteObjectVersion (S3 API Reference, DeleteObject:
      // "To remove a specific version, you must have the s3:DeleteObjectVersion permission").
      case "DeleteObject" -> List.of(new Access(
          request.getValueForField("VersionId", String.class).isPresent() ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
          object));
      case "ListObjectsV2", "ListObjects", "HeadBucket" -> List.of(new Access("s3:ListBucket", bucketArn));
      case "CopyObject" -> {
        String destination = "arn:aws:s3:::" + request.getValueForField("DestinationBucket", String.class).orElse(bucket)
            + "/" + request.getValueForField("DestinationKey", String.class).orElse(key);
        // The SDK folds SourceBucket, SourceKey and SourceVersionId into the x-amz-copy-source
        // header's value (CopySource: "bucket/key[?versionId=v]", URL-encoded) before any
        // interceptor sees the request, so that is what is read.
        String copySource = request.getValueForField("CopySource", String.class).orElse(null);
        String source;
        boolean ofVersion;
        if (copySource != null) {
          String[] parts = copySource.split("\\?versionId=", 2);
          source = "arn:aws:s3:::" + java.net.URLDecoder.decode(parts[0].startsWith("/") ? parts[0].substring(1) : parts[0],
              java.nio.charset.StandardCharsets.UTF_8);
          ofVersion = parts.length == 2;
        } else {
          source = "arn:aws:s3:::" + request.getValueForField("SourceBucket", String.class).orElse("*")
              + "/" + request.getValueForField("SourceKey", String.class).orElse("*");
          ofVersion = request.getValueForField("SourceVersionId", String.class).isPresent();
        }
        // A copy of a given version reads it as s3:GetObjectVersion (S3 API Reference, CopyObject).
        yield List.of(new Access("s3:PutObject", destination), new Access(ofVersion ? "s3:GetObjectVersion" : "s3:GetObject", source));
      }
      default -> List.of(new Access("s3:" + operation, key == null ? bucketArn : object));
    };
  }
}
