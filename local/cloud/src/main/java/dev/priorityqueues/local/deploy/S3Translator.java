package dev.priorityqueues.local.deploy;

import static dev.priorityqueues.local.deploy.Inputs.list;
import static dev.priorityqueues.local.deploy.Inputs.string;
import static dev.priorityqueues.local.deploy.Inputs.strings;

import dev.priorityqueues.local.events.S3EventNotifications;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.s3.S3Client;

/** S3: buckets are created on S3Proxy; EventBridge notifications and the CORS rule are recorded. */
final class S3Translator extends Translator {
  private final S3Client s3;
  private final List<Declared.ResourcePolicy> bucketPolicies = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final S3EventNotifications notifications;
  private final List<Declared.BucketCors> bucketCors = new CopyOnWriteArrayList<>();

  S3Translator(S3Client s3, S3EventNotifications notifications, EmulationLog log) {
    super(log,
        "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket", "aws:s3/bucketNotification:BucketNotification",
        "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2", "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketPolicy:BucketPolicy");
    this.s3 = s3;
    this.notifications = notifications;
  }

  @Override
  String create(String type, String name, Map<String, Object> in, Map<String, Object> state) {
    String id;
    switch (type) {
      case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket" -> id = bucket(name, in, state);
      case "aws:s3/bucketNotification:BucketNotification" -> {
        String bucket = string(in, "bucket");
        if (Boolean.TRUE.equals(in.get("eventbridge"))) {
          notifications.enableEventBridge(bucket);
          log.emulated(type, name, "S3 emits Object Created to the local bus");
        } else {
          log.notEmulated(type, name, "only EventBridge notifications are emulated");
        }
        id = bucket;
      }
      case "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2" -> {
        id = string(in, "bucket");
        List<Object> rules = list(in, "corsRules");
        if (rules.size() == 1) {
          @SuppressWarnings("unchecked")
          Map<String, Object> rule = (Map<String, Object>) rules.get(0);
          bucketCors.add(new Declared.BucketCors(id, strings(rule, "allowedOrigins"), strings(rule, "allowedMethods"),
              strings(rule, "allowedHeaders"), strings(rule, "exposeHeaders"),
              rule.get("maxAgeSeconds") instanceof Number n ? (int) Math.round(n.doubleValue()) : null));
          log.emulated(type, name, "S3Proxy's CORS settings, restarted with the rule; preflights answered as S3 does");
        } else {
          log.notEmulated(type, name, "S3Proxy serves one CORS rule, not " + rules.size());
        }
      }
      case "aws:s3/bucketPolicy:BucketPolicy" -> {
        id = string(in, "bucket");
        bucketPolicies.add(new Declared.ResourcePolicy("arn:aws:s3:::" + id, string(in, "policy")));
        log.emulated(type, name, "evaluated with the role policies by IAM enforcement, presigned PUTs included");
      }
      case "aws:s3/bucketVersioningV2:BucketVersioningV2" -> {
        id = string(in, "bucket");
        String bucket = id;
        @SuppressWarnings("unchecked")
        Map<String, Object> configuration = (Map<String, Object>) in.get("versioningConfiguration");
        String status = configuration == null ? null : (String) configuration.get("status");
        if ("Enabled".equals(status) || "Suspended".equals(status)) {
          // S3Proxy's blob stores keep versions: version ids in events and reads by versionId.
          s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(status)));
          log.emulated(type, name, "S3Proxy keeps versions (" + status + ")");
        } else {
          log.notEmulated(type, name, "versioning status '" + status + "'");
        }
      }
      default -> throw new IllegalArgumentException(type);
    }
    return id;
  }

  /** Bucket policies, by the ARN of the bucket they govern. */
  List<Declared.ResourcePolicy> bucketPolicies() {
    return List.copyOf(bucketPolicies);
  }

  List<Declared.BucketCors> bucketCors() {
    return List.copyOf(bucketCors);
  }

  private String bucket(String logical, Map<String, Object> in, Map<String, Object> state) {
    String name = string(in, "bucket");
    if (name == null) {
      String prefix = string(in, "bucketPrefix");
      name = (prefix != null ? prefix : logical).toLowerCase(Locale.ROOT);
    }
    String bucket = name;
    s3.createBucket(b -> b.bucket(bucket));
    state.put("bucket", bucket);
    state.put("arn", "arn:aws:s3:::" + bucket);
    state.put("bucketDomainName", bucket + ".s3.amazonaws.com");
    state.put("bucketRegionalDomainName", bucket + ".s3." + region + ".amazonaws.com");
    state.put("region", region);
    log.emulated("aws:s3/bucketV2:BucketV2", logical, "S3Proxy");
    return bucket;
  }
}
