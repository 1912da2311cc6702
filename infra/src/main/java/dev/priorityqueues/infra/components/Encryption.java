package dev.priorityqueues.infra.components;

import com.pulumi.core.Output;
import dev.priorityqueues.infra.iam.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The customer-managed key the parts encrypt with ({@code kmsKey}), and the grants a function's
 * role needs to use it. Each grant is on the key's ARN and only through the services that call
 * KMS for the role ({@code kms:ViaService}, KMS Developer Guide, condition keys), so a role can
 * never call KMS itself:
 *
 * <ul>
 *   <li>SQS: a producer needs {@code kms:GenerateDataKey} and {@code kms:Decrypt}, a consumer
 *       {@code kms:Decrypt} (SQS Developer Guide, "Amazon SQS key management", configuring KMS
 *       permissions for producers and consumers). A mapping polls with the function's role, and
 *       Lambda's on-failure destination sends with it too.
 *   <li>S3 with SSE-KMS: a PUT needs {@code kms:GenerateDataKey}, a GET {@code kms:Decrypt}, a
 *       multipart upload both (S3 User Guide, "Using server-side encryption with AWS KMS keys",
 *       permissions; "Multipart upload API and permissions"). A presigned URL carries its
 *       signer's permissions, so presign needs the PUT's and status the GET's.
 *   <li>DynamoDB: the table key is decrypted, and cached, for each principal that uses the table,
 *       so every role that reads or writes an item needs {@code kms:Decrypt} (DynamoDB Developer
 *       Guide, "How Amazon DynamoDB uses AWS KMS", table keys and their caching).
 * </ul>
 *
 * Lambda decrypts a function's environment and SnapStart snapshot with the grant it creates when
 * the function is deployed (with the deployer's permissions), not with the function's role.
 */
public record Encryption(Output<String> keyArn, Output<String> region) {

  /** The condition key that names the service calling KMS for a principal. */
  public static final String VIA_SERVICE = "kms:ViaService";

  /** A service that calls KMS on a role's behalf, by its endpoint prefix. */
  public enum Via {
    SQS("sqs"), S3("s3"), DYNAMODB("dynamodb");

    private final String prefix;

    Via(String prefix) {
      this.prefix = prefix;
    }

    Output<String> endpoint(Output<String> region) {
      return region.applyValue(r -> prefix + "." + r + ".amazonaws.com");
    }
  }

  public Encryption {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(region, "region");
  }

  /** Allows {@code actions} on the key, only through {@code services}. */
  public Statement allow(String sid, List<String> actions, Via... services) {
    return Statement.allow(sid)
        .actions(actions)
        .resources(keyArn)
        .condition("StringEquals", VIA_SERVICE, Arrays.stream(services).map(s -> s.endpoint(region)).toList())
        .build();
  }

  /** A role that only reads what the key protects: {@code kms:Decrypt} through {@code services}. */
  public Statement decrypt(String sid, Via... services) {
    return allow(sid, List.of("kms:Decrypt"), services);
  }

  /** A role that writes what the key protects: {@code kms:GenerateDataKey} through {@code services}. */
  public Statement generateDataKey(String sid, Via... services) {
    return allow(sid, List.of("kms:GenerateDataKey"), services);
  }
}
