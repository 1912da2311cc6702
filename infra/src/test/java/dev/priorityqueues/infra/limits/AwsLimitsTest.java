package dev.priorityqueues.infra.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.ContentTypes;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.ProcessorSpec;
import dev.priorityqueues.contract.TierTable;
import dev.priorityqueues.contract.Transcoding;
import dev.priorityqueues.infra.JsonSupport;
import dev.priorityqueues.infra.config.ConfigKey;
import dev.priorityqueues.infra.config.Limits;
import dev.priorityqueues.infra.config.Range;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.config.StackFiles;
import dev.priorityqueues.infra.limits.AwsLimitsTable.Row;
import dev.priorityqueues.infra.limits.ResourceInputs.Entry;
import dev.priorityqueues.infra.limits.ResourceInputs.Kind;
import dev.priorityqueues.infra.testing.AwsMocks;
import dev.priorityqueues.infra.testing.Deployment;
import dev.priorityqueues.infra.testing.FakeArchives;
import dev.priorityqueues.infra.testing.MockResource;
import dev.priorityqueues.infra.testing.ProgramTest;
import dev.priorityqueues.infra.testing.TestSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mocks accept anything; AWS does not. Runs the program with every config key at its minimum,
 * default and maximum (the ranges come from the settings parser itself,
 * {@link Settings#checkedRanges}), and on every committed stack file, under mocks that name
 * resources as Pulumi's AWS provider does, in a long region name. Every input of every resource
 * is checked against {@code limits/aws-limits.md}; an input neither there nor in
 * {@link #UNBOUNDED} fails, so a new input needs its row.
 */
class AwsLimitsTest extends ProgramTest {

  /** The longest commercial region names have 14 characters; URLs and ARNs grow with them. */
  static final String REGION = "ap-southeast-2";

  /**
   * Inputs AWS does not bound, each with the reason. {@code type path} as in the table.
   */
  static final Map<String, String> UNBOUNDED = new LinkedHashMap<>();

  static {
    String function = "aws:lambda/function:Function";
    unbounded(function, "a flag", "publish");
    unbounded(function, "each value counts toward the 4 KB of environment.variables, checked there",
        "environment.variables.*");
    unbounded("aws:sqs/queue:Queue", "a flag", "sqsManagedSseEnabled");
    unbounded("aws:sqs/queue:Queue", "the whole redrive policy is bounded by its two fields", "redrivePolicy");
    unbounded("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "bounded by its fields", "redriveAllowPolicy");
    unbounded("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "a queue ARN the program took from SQS",
        "redriveAllowPolicy/sourceQueueArns[]");
    for (String type : List.of("aws:sqs/queuePolicy:QueuePolicy", "aws:s3/bucketPolicy:BucketPolicy")) {
      unbounded(type, "ARNs the program took from the providers' outputs", "policy/Statement[]/Resource**");
      unbounded(type, "condition keys and values are free-form; their count is bounded where AWS bounds it",
          "policy/Statement[]/Condition/**");
      unbounded(type, "principals, checked by the IAM and security tests", "policy/Statement[]/Principal**");
    }
    unbounded("aws:s3/bucketV2:BucketV2", "a Pulumi setting, never sent to AWS", "forceDestroy");
    for (String flag : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
      unbounded("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "a flag", flag);
    }
    unbounded("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "a flag",
        "rules[].expiration.expiredObjectDeleteMarker");
    unbounded("aws:s3/bucketNotification:BucketNotification", "a flag", "eventbridge");
    String table = "aws:dynamodb/table:Table";
    unbounded(table, "flags", "pointInTimeRecovery.enabled", "ttl.enabled", "serverSideEncryption.enabled",
        "deletionProtectionEnabled");
    String alarm = "aws:cloudwatch/metricAlarm:MetricAlarm";
    unbounded(alarm, "any double (PutMetricAlarm, Threshold)", "threshold");
    unbounded("aws:cloudwatch/dashboard:Dashboard", "the body's size has no bound in PutDashboard; its widgets are bounded by field",
        "dashboardBody");
    unbounded("aws:cloudwatch/dashboard:Dashboard", "titles, regions, metric names and annotations are free-form",
        "dashboardBody/widgets[]/properties/title", "dashboardBody/widgets[]/properties/region",
        "dashboardBody/widgets[]/properties/metrics[]**", "dashboardBody/widgets[]/properties/annotations/**");
    unbounded("aws:cloudwatch/eventRule:EventRule", "the pattern's content is EventBridge's syntax, compiled by"
        + " event-ruler in UploadRouterTest; its length is bounded", "eventPattern/**");
    String api = "aws:apigatewayv2/api:Api";
    unbounded(api, "CreateApi states no bound for name or description", "name", "description");
    String authorizer = "aws:apigatewayv2/authorizer:Authorizer";
    unbounded(authorizer, "the API's id, from API Gateway", "apiId");
    unbounded(authorizer, "CreateAuthorizer states no bound for name", "name");
    unbounded(authorizer, "JWTConfiguration states no bound for an audience", "jwtConfiguration.audiences[]");
    for (String type : List.of("aws:apigatewayv2/integration:Integration", "aws:apigatewayv2/route:Route",
        "aws:apigatewayv2/stage:Stage")) {
      unbounded(type, "the API's id, from API Gateway", "apiId");
    }
    unbounded("aws:apigatewayv2/route:Route", "the authorizer's id, from API Gateway", "authorizerId");
    unbounded("aws:apigatewayv2/stage:Stage", "a flag", "autoDeploy");
    unbounded("aws:kms/key:Key", "a flag", "enableKeyRotation");
    unbounded("aws:kms/key:Key", "condition keys and values are free-form; the whole policy is bounded by its size",
        "policy/Statement[]/Condition/**");
    unbounded("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "a flag",
        "rules[].bucketKeyEnabled");
  }

  private static void unbounded(String type, String reason, String... paths) {
    for (String path : paths) {
      UNBOUNDED.put(type + " " + path, reason);
    }
  }

  @TempDir static Path codeRoot;

  static final List<Row> ROWS = AwsLimitsTable.load();
  /** Rows that matched an input in some run; every row must. */
  static final Set<Row> USED = new LinkedHashSet<>();
  static final Set<String> USED_UNBOUNDED = new LinkedHashSet<>();

  record Variant(String name, String stack, Supplier<Settings> settings) {}

  @TestFactory
  Stream<DynamicTest> everyInputKeepsWithinAwsLimits() {
    FakeArchives.complete(codeRoot);
    List<Variant> variants = variants();
    Stream<DynamicTest> runs = variants.stream()
        .map(v -> DynamicTest.dynamicTest(v.name(), () -> check(v)));
    Stream<DynamicTest> end = Stream.of(DynamicTest.dynamicTest("every row matched an input", () -> {
      assertThat(ROWS).as("rows of %s", AwsLimitsTable.RESOURCE).isNotEmpty();
      assertThat(ROWS.stream().filter(r -> !USED.contains(r)).map(r -> r.type() + " " + r.path()).toList())
          .as("rows no run matched: stale, or a path mistyped").isEmpty();
      assertThat(UNBOUNDED.keySet().stream().filter(k -> !USED_UNBOUNDED.contains(k)).toList())
          .as("unbounded entries no run matched").isEmpty();
    }));
    return Stream.concat(runs, end);
  }

  static void check(Variant variant) {
    Settings settings = variant.settings().get();
    Deployment deployment = Deployment.run(settings, variant.stack(), new AwsMocks(REGION, true)).assertSucceeded();
    List<String> violations = new ArrayList<>();
    Set<String> uncovered = new TreeSet<>();
    for (MockResource resource : deployment.resources()) {
      if (!resource.type().startsWith("aws:")) {
        continue;
      }
      for (Entry entry : ResourceInputs.flatten(resource.inputs())) {
        boolean covered = false;
        for (Row row : ROWS) {
          if (row.type().equals(resource.type()) && row.appliesTo(entry.kind())
              && row.pathPattern().matcher(entry.path()).matches()) {
            covered = true;
            USED.add(row);
            String problem = row.violation(entry.value());
            if (problem != null) {
              violations.add(resource.type() + " " + resource.name() + " " + entry.path() + " = "
                  + abbreviate(entry.value()) + ": " + problem + " (" + row.citation() + ")");
            }
          }
        }
        for (Map.Entry<String, String> unbounded : UNBOUNDED.entrySet()) {
          String key = unbounded.getKey();
          int space = key.indexOf(' ');
          if (key.substring(0, space).equals(resource.type())
              && AwsLimitsTable.pathPattern(key.substring(space + 1)).matcher(entry.path()).matches()) {
            covered = true;
            USED_UNBOUNDED.add(key);
          }
        }
        if (!covered && entry.kind() == Kind.LEAF) {
          uncovered.add(resource.type() + " " + entry.path());
        }
      }
    }
    uncovered.forEach(path -> violations.add(path + ": no row in " + AwsLimitsTable.RESOURCE + " and not in UNBOUNDED"));
    assertThat(violations).as("inputs AWS would refuse, or that no row bounds").isEmpty();
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }

  // ---- the runs ----------------------------------------------------------------------------------

  static Map<String, String> base() {
    return TestSettings.required();
  }

  static Settings parse(Map<String, String> overrides) {
    Map<String, String> raw = new HashMap<>(base());
    raw.putAll(overrides);
    return Settings.parse(raw, codeRoot);
  }

  static List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("defaults", Deployment.STACK, () -> parse(Map.of())));
    Path root = StackFiles.findProjectDir(Path.of(""));
    for (String stack : StackFiles.stackNames(root)) {
      variants.add(new Variant("stack file Pulumi." + stack + ".yaml", stack,
          () -> Settings.fromStackFile(root, stack).withCodeRoot(codeRoot)));
    }

    // Every key at its minimum and maximum. Parsing is cheap and a run is not, so values that are
    // valid together share a run; each run's name lists its values.
    Map<String, Map<String, String>> extremes = new LinkedHashMap<>();
    Set<String> covered = new TreeSet<>();
    Map<String, Range> ranges = Settings.checkedRanges(base(), codeRoot);
    ranges.forEach((key, range) -> {
      for (long value : new long[] {range.min(), range.max()}) {
        extremes.put(key + "=" + value, key.startsWith(ConfigKey.TIERS.key() + "[].")
            ? tierField(key.substring(key.indexOf('.') + 1), value, ranges)
            : Map.of(key, Long.toString(value)));
      }
      covered.add(key.replaceAll("\\[].*", ""));
    });

    // A provisioned top tier (no maxConcurrency) at the fewest and the most pollers; the most count
    // 10 concurrency each against the account.
    for (int[] pollers : new int[][] {{2, 2}, {200, 2000}}) {
      List<Map<String, Object>> tiers = new ArrayList<>(defaultTiers());
      Map<String, Object> top = new LinkedHashMap<>(tiers.get(0));
      top.remove("maxConcurrency");
      top.put("provisionedPollers", Map.of("min", pollers[0], "max", pollers[1]));
      tiers.set(0, top);
      extremes.put("tiers[0].provisionedPollers=" + pollers[0] + ".." + pollers[1], Map.of(
          ConfigKey.TIERS.key(), JsonSupport.write(tiers),
          ConfigKey.ACCOUNT_CONCURRENCY.key(), Long.toString(ranges.get(ConfigKey.ACCOUNT_CONCURRENCY.key()).max())));
    }

    // Keys that are not whole numbers, at their smallest and largest.
    Map<ConfigKey, List<String>> values = new LinkedHashMap<>();
    values.put(ConfigKey.TIERS, List.of(
        JsonSupport.write(List.of(Map.of("name", "a", "subscriptions", List.of(), "maxConcurrency", 2))),
        TestSettings.longestTiers()));
    values.put(ConfigKey.DEFAULT_TIER, List.of("premium"));
    values.put(ConfigKey.FLOW, java.util.Arrays.stream(Flow.values()).map(Flow::id).toList());
    values.put(ConfigKey.WORKER_PROCESSOR, List.of(ProcessorSpec.TRANSCODE, ProcessorSpec.INSPECT, ProcessorSpec.SIMULATED_PREFIX + 0,
        ProcessorSpec.SIMULATED_PREFIX + ProcessorSpec.MAX_SIMULATED_MILLIS));
    values.put(ConfigKey.WORKER_ARCHITECTURE, Transcoding.ARCHITECTURES);
    values.put(ConfigKey.RENDITIONS, List.of(Integer.toString(Transcoding.MIN_RENDITION_HEIGHT),
        Stream.iterate(Transcoding.MAX_RENDITION_HEIGHT, h -> h - 2).limit(Transcoding.MAX_RENDITIONS)
            .map(String::valueOf).collect(java.util.stream.Collectors.joining(","))));
    values.put(ConfigKey.WATERMARK_CORNER, java.util.Arrays.stream(Transcoding.Corner.values()).map(Transcoding.Corner::id).toList());
    values.put(ConfigKey.TRANSCODE_SPEED, List.of(Double.toString(Transcoding.MIN_SPEED), Double.toString(Transcoding.MAX_SPEED)));
    values.put(ConfigKey.EVENT_BUS_ARN, List.of("arn:aws:events:" + REGION + ":123456789012:event-bus/" + "b".repeat(Limits.EVENT_BUS_NAME_LENGTH)));
    values.put(ConfigKey.CORS_ALLOWED_ORIGINS, List.of("[]", JsonSupport.write(Stream.iterate(1, i -> i + 1)
        .limit(20).map(i -> "https://app-" + i + "." + "o".repeat(40) + ".example.com:8443").toList())));
    values.put(ConfigKey.DRAIN, List.of("true", "false"));
    values.put(ConfigKey.FAIR_QUEUES, List.of("true", "false"));
    values.put(ConfigKey.PROTECT_DATA, List.of("true", "false"));
    values.put(ConfigKey.REJECTED_INPUTS, dev.priorityqueues.contract.RejectedInputs.ids());
    values.put(ConfigKey.LOG_USER_IDS, dev.priorityqueues.contract.UserPseudonyms.Mode.ids());
    values.put(ConfigKey.UPLOAD_CONTENT_TYPES, List.of(ContentTypes.known().get(0),
        JsonSupport.write(ContentTypes.known())));
    values.put(ConfigKey.JWT_ISSUER, List.of("https://cognito-idp." + REGION + ".amazonaws.com/" + REGION + "_AbCdEf123"));
    values.put(ConfigKey.JWT_AUDIENCE, List.of("a", JsonSupport.write(
        Stream.iterate(1, i -> i + 1).limit(Limits.JWT_AUDIENCES).map(i -> "client-" + i).toList())));
    values.put(ConfigKey.JWT_SCOPES, List.of("a", JsonSupport.write(Stream.iterate(1, i -> i + 1)
        .limit(dev.priorityqueues.contract.Scopes.MAX_SCOPES)
        .map(i -> i + "~" + "s".repeat(dev.priorityqueues.contract.Scopes.MAX_LENGTH - 2)).toList())));
    values.put(ConfigKey.STATUS_JWT_SCOPES, List.of("r", JsonSupport.write(Stream.iterate(1, i -> i + 1)
        .limit(dev.priorityqueues.contract.Scopes.MAX_SCOPES)
        .map(i -> i + "~" + "r".repeat(dev.priorityqueues.contract.Scopes.MAX_LENGTH - 2)).toList())));
    values.put(ConfigKey.ALARM_EMAIL, List.of("oncall@example.com"));
    values.put(ConfigKey.ALARM_TOPIC_ARN, List.of("arn:aws:sns:" + REGION + ":123456789012:" + "t".repeat(256)));
    values.put(ConfigKey.TAGS, List.of("{}", longestTags()));
    values.put(ConfigKey.CODE_ROOT, List.of(codeRoot.toString()));
    values.put(ConfigKey.KMS_KEY, List.of("none", "create",
        "arn:aws:kms:" + REGION + ":123456789012:key/mrk-" + "0123456789abcdef".repeat(2)));
    // The most operators, each with a long path: every tier queue's policy names them all.
    values.put(ConfigKey.OPERATOR_ROLE_ARNS, List.of("[]", JsonSupport.write(Stream.iterate(1, i -> i + 1).limit(10)
        .map(i -> "arn:aws:iam::123456789012:role/" + ("p".repeat(62) + "/").repeat(8) + i + "-" + "o".repeat(60)).toList())));
    // The alarm topic exists only with alarmEmail: a key covers it too.
    extremes.put("kmsKey=create with alarmEmail", Map.of(ConfigKey.KMS_KEY.key(), "create",
        ConfigKey.ALARM_EMAIL.key(), "oncall@example.com"));
    values.forEach((key, list) -> {
      for (String value : list) {
        extremes.put(key.key() + "=" + abbreviate(value).substring(0, Math.min(40, value.length())), Map.of(key.key(), value));
      }
      covered.add(key.key());
    });

    Set<String> missing = new TreeSet<>();
    for (ConfigKey key : ConfigKey.values()) {
      if (!covered.contains(key.key())) {
        missing.add(key.key());
      }
    }
    assertThat(missing).as("config keys neither the parser's ranges nor this test's values cover").isEmpty();

    List<Map<String, String>> groups = new ArrayList<>();
    List<List<String>> names = new ArrayList<>();
    extremes.forEach((name, overrides) -> {
      // Each value must be valid on its own, with every other key at its default.
      parse(overrides);
      for (int i = 0; i < groups.size(); i++) {
        Map<String, String> merged = new HashMap<>(groups.get(i));
        if (overrides.keySet().stream().noneMatch(merged::containsKey)) {
          merged.putAll(overrides);
          if (parses(merged)) {
            groups.set(i, merged);
            names.get(i).add(name);
            return;
          }
        }
      }
      groups.add(new HashMap<>(overrides));
      names.add(new ArrayList<>(List.of(name)));
    });
    for (int i = 0; i < groups.size(); i++) {
      Map<String, String> overrides = groups.get(i);
      variants.add(new Variant(String.join(", ", names.get(i)), Deployment.STACK, () -> parse(overrides)));
    }
    return variants;
  }

  static boolean parses(Map<String, String> overrides) {
    try {
      parse(overrides);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The default tiers with {@code field} set on each, plus what that value needs to be valid. */
  static Map<String, String> tierField(String field, long value, Map<String, Range> ranges) {
    Map<String, String> overrides = new HashMap<>();
    List<Map<String, Object>> tiers = new ArrayList<>();
    for (Map<String, Object> tier : defaultTiers()) {
      Map<String, Object> changed = new LinkedHashMap<>(tier);
      changed.put(field, value);
      // A batch over 10 needs a batching window.
      if (field.equals("batchSize") && value > Limits.BATCH_SIZE_WITHOUT_WINDOW) {
        changed.put("batchingWindowSeconds", 1);
      }
      tiers.add(changed);
    }
    // Two tiers at the largest maxConcurrency need an account that large.
    if (field.equals("maxConcurrency")) {
      overrides.put(ConfigKey.ACCOUNT_CONCURRENCY.key(), Long.toString(ranges.get(ConfigKey.ACCOUNT_CONCURRENCY.key()).max()));
    }
    overrides.put(ConfigKey.TIERS.key(), JsonSupport.write(tiers));
    return overrides;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> defaultTiers() {
    try {
      return JsonSupport.mapper().readValue(ConfigKey.TIERS.defaultValue().orElseThrow(), List.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The most configured tags, each with the longest key and value. */
  static String longestTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < Limits.MAX_TAGS; i++) {
      String prefix = String.format("%02d", i);
      tags.put(prefix + "k".repeat(Limits.TAG_KEY_LENGTH - 2), "v".repeat(Limits.TAG_VALUE_LENGTH));
    }
    return JsonSupport.write(tags);
  }
}
