package dev.priorityqueues.infra.iam;

import dev.priorityqueues.infra.JsonSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key policy of the customer-managed key the program creates ({@code kmsKey: create}). A key
 * policy is the one policy KMS always consults, so it is written out here in full:
 *
 * <ul>
 *   <li>{@code EnableIamPolicies}: the account root may use the key, which is how KMS lets IAM
 *       policies grant access to it (KMS Developer Guide, default key policy, "Allows access to
 *       the AWS account and enables IAM policies"). It is also what keeps the key manageable: KMS
 *       refuses a policy that would lock out its own caller (the lockout safety check). The
 *       functions' roles then get exactly their actions on this key's ARN, in their own policies.
 *       This statement's {@code kms:*} on resource {@code *} (in a key policy, "this key") is the
 *       only wildcard action the program writes in an Allow.
 *   <li>{@code CloudWatchLogsEncryptLogGroups}: CloudWatch Logs encrypts the log groups, for log
 *       groups of this account and region only ({@code kms:EncryptionContext:aws:logs:arn};
 *       CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS"). The
 *       actions are the symmetric ones behind the guide's {@code kms:Encrypt*}, {@code
 *       kms:Decrypt*}, {@code kms:ReEncrypt*} and {@code kms:GenerateDataKey*}, named one by one;
 *       its {@code kms:Describe*} is left out, as DescribeKey carries no encryption context and
 *       the condition could never let it through.
 *   <li>{@code CloudWatchAlarmsNotify}: CloudWatch alarms publish to the encrypted alarm topic,
 *       which needs {@code kms:GenerateDataKey} and {@code kms:Decrypt} (SNS Developer Guide,
 *       "Enable compatibility between event sources from AWS services and encrypted topics"),
 *       only for this account's alarms in this region ({@code aws:SourceAccount}, {@code
 *       aws:SourceArn}).
 *   <li>{@code EventBridgeDeadLetters}: EventBridge sends an upload event it could not deliver to
 *       the events DLQ, an encrypted queue (EventBridge User Guide, "Using dead-letter queues").
 *       EventBridge invokes the router directly (the rule's target is the function), so this is
 *       its only use of the key. It is scoped to this account's queues in this region by SQS's
 *       encryption context, the queue's ARN ({@code kms:EncryptionContext:aws:sqs:arn}; SQS
 *       Developer Guide, "Encryption context"), which every SQS call to KMS carries.
 * </ul>
 *
 * The service statements name resources of the account and region, not single ARNs: the key must
 * exist before the log groups, alarms, topic and queues that use it, and a key's policy is part of
 * the key. The queue policy of the events DLQ still admits only the router's rule.
 */
public final class KeyPolicy {
  public static final String LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn";
  public static final String SQS_CONTEXT = "kms:EncryptionContext:aws:sqs:arn";
  /** CloudWatch Logs' actions, each symmetric action behind the guide's wildcards. */
  public static final List<String> LOGS_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
      "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext");
  /** What a service needs to put an encrypted message on a topic or queue. */
  public static final List<String> SEND_ACTIONS = List.of("kms:GenerateDataKey", "kms:Decrypt");

  private KeyPolicy() {}

  /** The policy's JSON for a key in {@code account} and {@code region} of {@code partition}. */
  public static String document(String partition, String account, String region) {
    String prefix = "arn:" + partition + ":";
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Version", PolicyDocument.VERSION);
    document.put("Statement", List.of(
        statement("EnableIamPolicies", Map.of("AWS", prefix + "iam::" + account + ":root"), List.of("kms:*"), Map.of()),
        statement("CloudWatchLogsEncryptLogGroups", Map.of("Service", "logs." + region + ".amazonaws.com"),
            LOGS_ACTIONS, Map.of("ArnLike", Map.of(LOGS_CONTEXT,
                prefix + "logs:" + region + ":" + account + ":log-group:*"))),
        statement("CloudWatchAlarmsNotify", Map.of("Service", "cloudwatch.amazonaws.com"), SEND_ACTIONS,
            conditions(Map.of("aws:SourceAccount", account),
                Map.of("aws:SourceArn", prefix + "cloudwatch:" + region + ":" + account + ":alarm:*"))),
        statement("EventBridgeDeadLetters", Map.of("Service", "events.amazonaws.com"), SEND_ACTIONS,
            Map.of("ArnLike", Map.of(SQS_CONTEXT, prefix + "sqs:" + region + ":" + account + ":*")))));
    return JsonSupport.write(document);
  }

  private static Map<String, Object> conditions(Map<String, String> equals, Map<String, String> like) {
    Map<String, Object> conditions = new LinkedHashMap<>();
    conditions.put("StringEquals", equals);
    conditions.put("ArnLike", like);
    return conditions;
  }

  private static Map<String, Object> statement(String sid, Map<String, String> principal, List<String> actions,
      Map<String, ?> condition) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    statement.put("Principal", principal);
    statement.put("Action", actions);
    statement.put("Resource", "*");
    if (!condition.isEmpty()) {
      statement.put("Condition", condition);
    }
    return statement;
  }
}
