package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.list;
import static dev.priorityqueues.local.deploy.Inputs.map;
import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * KMS: a customer-managed key gets a key ARN, and its key policy is kept for IAM enforcement,
 * which checks the {@code kms:} actions AWS services need from a caller of a resource under that
 * key (docs/local-cloud.md). Which resource is under which key is read from every resource the
 * program declares ({@link #observe}): a queue's {@code kmsMasterKeyId}, a table's
 * {@code serverSideEncryption.kmsKeyArn}, a bucket's default encryption. Nothing is encrypted:
 * the local servers store plaintext.
 */
final class KmsTranslator extends Translator {
  private final List<Declared.ResourcePolicy> keyPolicies = new CopyOnWriteArrayList<>();
  /** A queue's or table's ARN, or a bucket's ({@code arn:aws:s3:::name}) → the ARN of its key. */
  private final Map<String, String> keyByResource = new ConcurrentHashMap<>();

  KmsTranslator(EmulationLog log) {
    super(log, "aws:kms/key:Key", "aws:kms/alias:Alias");
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    if (type.equals("aws:kms/alias:Alias")) {
      String alias = string(in, "name");
      state.put("arn", "arn:aws:kms:" + region + ":" + account + ":" + alias);
      log.notEmulated(type, name, "recorded; the local cloud names keys by ARN");
      return alias;
    }
    String keyId = UUID.randomUUID().toString();
    String arn = "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
    state.put("arn", arn);
    state.put("keyId", keyId);
    String policy = string(in, "policy");
    if (policy != null) {
      keyPolicies.add(new Declared.ResourcePolicy(arn, policy));
    }
    log.emulated(type, name, "key policy evaluated by IAM enforcement with the callers' role policies;"
        + " no encryption at rest (the local servers store plaintext)");
    return keyId;
  }

  /** Notes which key a declared resource is encrypted with, once its outputs ({@code state}) are known. */
  void observe(String type, Map<String, Object> in, Map<String, Object> state) {
    switch (type) {
      case "aws:sqs/queue:Queue" -> record(string(state, "arn"), string(in, "kmsMasterKeyId"));
      case "aws:dynamodb/table:Table" -> {
        Map<String, Object> sse = map(in, "serverSideEncryption");
        record(string(state, "arn"), sse == null ? null : string(sse, "kmsKeyArn"));
      }
      case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2" -> {
        for (Object rule : list(in, "rules")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> byDefault = rule instanceof Map<?, ?> r
              ? map((Map<String, Object>) r, "applyServerSideEncryptionByDefault") : null;
          if (byDefault != null && "aws:kms".equals(string(byDefault, "sseAlgorithm"))) {
            record("arn:aws:s3:::" + string(in, "bucket"), string(byDefault, "kmsMasterKeyId"));
          }
        }
      }
      default -> {
        // Other resources hold no data the functions read or write through a service.
      }
    }
  }

  private void record(String resourceArn, String keyArn) {
    if (resourceArn != null && keyArn != null) {
      keyByResource.put(resourceArn, keyArn);
    }
  }

  List<Declared.ResourcePolicy> keyPolicies() {
    return List.copyOf(keyPolicies);
  }

  Map<String, String> keyByResource() {
    return Map.copyOf(keyByResource);
  }
}
