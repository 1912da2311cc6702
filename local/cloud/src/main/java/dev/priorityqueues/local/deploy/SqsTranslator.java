package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.string;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS: queues are created on ElasticMQ with their attributes and redrive policies; queue policies
 * are kept for IAM enforcement, which evaluates them with the role policies.
 */
final class SqsTranslator extends Translator {
  private final SqsClient sqs;
  private final Map<String, Declared.Queue> queuesByArn = new ConcurrentHashMap<>();
  private final List<Declared.ResourcePolicy> queuePolicies = new java.util.concurrent.CopyOnWriteArrayList<>();

  SqsTranslator(SqsClient sqs, EmulationLog log) {
    super(log, "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy");
    this.sqs = sqs;
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    if (type.equals("aws:sqs/queuePolicy:QueuePolicy")) {
      String url = string(in, "queueUrl");
      String arn = queuesByArn.values().stream().filter(q -> q.url().equals(url)).map(Declared.Queue::arn)
          .findFirst().orElseThrow(() -> new IllegalStateException(name + ": no queue has the URL " + url));
      queuePolicies.add(new Declared.ResourcePolicy(arn, string(in, "policy")));
      log.emulated(type, name, "evaluated with the role policies by IAM enforcement");
      return url;
    }
    return queue(name, in, state);
  }

  /** Queue policies, by the ARN of the queue they govern. */
  List<Declared.ResourcePolicy> queuePolicies() {
    return List.copyOf(queuePolicies);
  }

  List<Declared.Queue> queues() {
    return List.copyOf(queuesByArn.values());
  }

  Optional<Declared.Queue> queue(String arn) {
    return Optional.ofNullable(queuesByArn.get(arn));
  }

  private String queue(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = Optional.ofNullable(string(in, "name")).orElse(logical);
    if (Boolean.TRUE.equals(in.get("fifoQueue")) && !name.endsWith(".fifo")) {
      name = name + ".fifo";
    }
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    putNumber(attributes, QueueAttributeName.VISIBILITY_TIMEOUT, in.get("visibilityTimeoutSeconds"));
    putNumber(attributes, QueueAttributeName.MESSAGE_RETENTION_PERIOD, in.get("messageRetentionSeconds"));
    putNumber(attributes, QueueAttributeName.DELAY_SECONDS, in.get("delaySeconds"));
    putNumber(attributes, QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, in.get("receiveWaitTimeSeconds"));
    putNumber(attributes, QueueAttributeName.MAXIMUM_MESSAGE_SIZE, in.get("maxMessageSize"));
    if (in.get("redrivePolicy") instanceof String redrive && !redrive.isBlank()) {
      attributes.put(QueueAttributeName.REDRIVE_POLICY, redrive);
    }
    if (Boolean.TRUE.equals(in.get("fifoQueue"))) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    String queueName = name;
    String url = sqs.createQueue(b -> b.queueName(queueName).attributes(attributes)).queueUrl();
    String arn = "arn:aws:sqs:" + region + ":" + account + ":" + name;
    queuesByArn.put(arn, new Declared.Queue(logical, name, url, arn));
    state.put("url", url);
    state.put("arn", arn);
    state.put("name", name);
    List<String> notes = new ArrayList<>();
    if (in.get("redriveAllowPolicy") != null) {
      notes.add("redrive-allow policy not emulated (ElasticMQ drops it)");
    }
    if (Boolean.TRUE.equals(in.get("sqsManagedSseEnabled")) || in.get("kmsMasterKeyId") != null) {
      notes.add("encryption at rest not emulated");
    }
    log.emulated("aws:sqs/queue:Queue", logical, notes.isEmpty() ? "ElasticMQ" : "ElasticMQ; " + String.join("; ", notes));
    return url;
  }

  private static void putNumber(Map<QueueAttributeName, String> attributes, QueueAttributeName name, Object value) {
    if (value instanceof Number number) {
      // Pulumi passes numbers as doubles; ElasticMQ, like SQS, wants whole numbers.
      attributes.put(name, Long.toString(Math.round(number.doubleValue())));
    }
  }
}
