package dev.priorityqueues.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.priorityqueues.infra.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every class of invalid config: each stops the program with exactly one problem that names the
 * key and what is allowed. README.md summarises them.
 */
class InvalidConfigTest {

  @TempDir static Path dir;

  private static String tiers(String... tiers) {
    return "[" + String.join(",", tiers) + "]";
  }

  private static String tier(String name, String subscription, int maxConcurrency, String extra) {
    return "{\"name\":\"" + name + "\",\"subscriptions\":[" + (subscription == null ? "" : "\"" + subscription + "\"")
        + "],\"maxConcurrency\":" + maxConcurrency + extra + "}";
  }

  private static Arguments invalid(String name, Map<String, String> config, String... expected) {
    return Arguments.of(name, config, List.of(expected));
  }

  static Stream<Arguments> classes() {
    return Stream.of(
        invalid("duplicate tier", Map.of("tiers", tiers(tier("a", "x", 5, ""), tier("a", "y", 5, ""))),
            "tiers names tier 'a' twice"),
        invalid("subscription mapped twice", Map.of("tiers", tiers(tier("a", "x", 5, ""), tier("b", "x", 5, ""))),
            "tiers maps subscription 'x' to both 'a' and 'b'"),
        invalid("maxConcurrency below 2", Map.of("tiers", tiers(tier("a", "x", 1, ""))),
            "tiers[0].maxConcurrency must be a whole number from 2 to 1000, not 1"),
        invalid("maxConcurrency above 1000", Map.of("tiers", tiers(tier("a", "x", 1001, ""))),
            "tiers[0].maxConcurrency must be a whole number from 2 to 1000, not 1001"),
        invalid("provisionedPollers with maxConcurrency",
            Map.of("tiers", tiers(tier("a", "x", 5, ",\"provisionedPollers\":{\"min\":2,\"max\":4}"))),
            "tiers[0] sets both maxConcurrency and provisionedPollers", "keep one of them"),
        invalid("provisionedPollers min above max",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":{\"min\":9,\"max\":4}}]"),
            "tiers[0].provisionedPollers.min (9) must not be above tiers[0].provisionedPollers.max (4)"),
        invalid("provisionedPollers min below AWS's 2 for SQS",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":{\"min\":1,\"max\":4}}]"),
            "tiers[0].provisionedPollers.min must be a whole number from 2 to 200, not 1"),
        invalid("provisionedPollers max above 2000",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":{\"min\":2,\"max\":2001}}]"),
            "tiers[0].provisionedPollers.max must be a whole number from 2 to 2000, not 2001"),
        invalid("provisionedPollers not an object",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":5}]"),
            "tiers[0].provisionedPollers must be an object"),
        invalid("provisionedPollers unknown field",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":{\"min\":2,\"max\":4,\"group\":\"g\"}}]"),
            "tiers[0].provisionedPollers has unknown field 'group'"),
        invalid("reserved concurrency below ten per maximum poller",
            Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"],\"provisionedPollers\":{\"min\":2,\"max\":5}},"
                + tier("b", "y", 10, "") + "]", "workerReservedConcurrency", "40"),
            "workerReservedConcurrency (40) is below the sum of the tiers' maxConcurrency (60)"),
        invalid("maxConcurrency missing", Map.of("tiers", "[{\"name\":\"a\",\"subscriptions\":[\"x\"]}]"),
            "tiers[0].maxConcurrency is required", "from 2 to 1000"),
        invalid("maxReceiveCount out of range", Map.of("tiers", tiers(tier("a", "x", 5, ",\"maxReceiveCount\":0"))),
            "tiers[0].maxReceiveCount must be a whole number from 1 to 1000, not 0"),
        invalid("batch size out of range", Map.of("tiers", tiers(tier("a", "x", 5, ",\"batchSize\":20000"))),
            "tiers[0].batchSize must be a whole number from 1 to 10000, not 20000"),
        invalid("batch over 10 without a batching window",
            Map.of("tiers", tiers(tier("a", "x", 5, ",\"batchSize\":20"))),
            "tiers[0].batchSize 20 is over 10", "tiers[0].batchingWindowSeconds from 1 to 300 seconds"),
        invalid("batching window over 300 s", Map.of("tiers", tiers(tier("a", "x", 5, ",\"batchingWindowSeconds\":301"))),
            "tiers[0].batchingWindowSeconds must be a whole number from 0 to 300 seconds, not 301"),
        invalid("unknown tier field", Map.of("tiers", tiers(tier("a", "x", 5, ",\"maxConcurency\":5"))),
            "tiers[0] has unknown field 'maxConcurency'"),
        invalid("tier name not allowed", Map.of("tiers", tiers(tier("Premium!", "x", 5, ""))),
            "tiers[0].name must match [a-z][a-z0-9-]{0,29}", "\"Premium!\""),
        invalid("no tiers", Map.of("tiers", "[]"), "tiers must be a list of 1 to 6 tier objects", "4 KB"),
        invalid("too many tiers", Map.of("tiers", tiers(tier("t1", "a", 2, ""), tier("t2", "b", 2, ""),
                tier("t3", "c", 2, ""), tier("t4", "d", 2, ""), tier("t5", "e", 2, ""), tier("t6", "f", 2, ""),
                tier("t7", "g", 2, ""))),
            "tiers must be a list of 1 to 6 tier objects"),
        invalid("tiers not JSON", Map.of("tiers", "premium,regular"), "tiers is not valid JSON"),
        invalid("a tier field twice", Map.of("tiers", tiers(tier("a", "x", 5, ",\"maxConcurrency\":500"))),
            "tiers is not valid JSON", "Duplicate field 'maxConcurrency'"),
        invalid("text after the tiers", Map.of("tiers", tiers(tier("a", "x", 5, "")) + " []"),
            "tiers is not valid JSON", "Trailing token"),
        invalid("unreachable tier", Map.of("tiers", tiers(tier("a", null, 5, ""), tier("b", "x", 5, ""))),
            "tier 'a' has no subscriptions and is not the defaultTier ('b')"),
        invalid("default tier not a tier", Map.of("defaultTier", "gold"),
            "defaultTier must be one of the tiers [premium, regular], not 'gold'"),
        invalid("unknown flow", Map.of("flow", "fifo"),
            "flow must be one of queue-level, consumer-level, highest-first, not 'fifo'"),
        invalid("reserved concurrency below the tiers' sum", Map.of("workerReservedConcurrency", "25"),
            "workerReservedConcurrency (25) is below the sum of the tiers' maxConcurrency (30)",
            "throttled SQS receive still counts toward maxReceiveCount", "at least 30"),
        invalid("reserved concurrency leaving under 100 unreserved (the seed's 900 + 100 of 1000)",
            Map.of("tiers", tiers(tier("high", "paid", 900, ""), tier("low", "free", 100, "")),
                "workerReservedConcurrency", "1000"),
            "workerReservedConcurrency (1000) leaves 0 of accountConcurrency (1000) unreserved",
            "AWS keeps at least 100 unreserved", "at most 900 can be reserved", "900 + 100 of 1000"),
        invalid("tiers above the account limit", Map.of("accountConcurrency", "20"),
            "the tiers' maxConcurrency add up to 30, more than accountConcurrency (20)"),
        invalid("visibility timeout below 6x the worker timeout", Map.of("visibilityTimeoutSeconds", "300"),
            "visibilityTimeoutSeconds must be from 5400 to 43200 seconds, not 300",
            "at least 6x workerTimeoutSeconds (900)"),
        invalid("visibility timeout above 12 hours", Map.of("visibilityTimeoutSeconds", "50000"),
            "visibilityTimeoutSeconds must be from 5400 to 43200 seconds, not 50000"),
        invalid("DLQ retention not longer than the queue's", Map.of("dlqRetentionSeconds", "345600"),
            "dlqRetentionSeconds must be from 345601 to 1209600 seconds, not 345600",
            "longer than queueRetentionSeconds (345600)"),
        invalid("queue retention at the SQS maximum", Map.of("queueRetentionSeconds", "1209600"),
            "queueRetentionSeconds must be from 60 to 1209599 seconds, not 1209600"),
        invalid("worker memory out of range", Map.of("workerMemoryMb", "64"),
            "workerMemoryMb must be from 128 to 10240 MB, not 64"),
        invalid("worker timeout over Lambda's 900 s", Map.of("workerTimeoutSeconds", "901"),
            "workerTimeoutSeconds must be from 1 to 900 seconds, not 901"),
        invalid("presign timeout over the HTTP API's 30 s", Map.of("presignTimeoutSeconds", "60"),
            "presignTimeoutSeconds must be from 1 to 30 seconds, not 60"),
        invalid("not a whole number", Map.of("workerMemoryMb", "lots"),
            "workerMemoryMb must be a whole number from 128 to 10240 MB, not 'lots'"),
        invalid("not a boolean", Map.of("drain", "yes"), "drain must be true or false, not 'yes'"),
        invalid("flow tuning out of range", Map.of("stealBudget", "101"), "stealBudget must be from 0 to 100, not 101"),
        invalid("upload URL expiry over 15 minutes", Map.of("uploadUrlExpirySeconds", "3600"),
            "uploadUrlExpirySeconds must be from 1 to 900 seconds, not 3600"),
        invalid("upload size over 5 GiB", Map.of("uploadMaxBytes", "6000000000"),
            "uploadMaxBytes must be from 1 to 5368709120 bytes, not 6000000000"),
        invalid("unsupported content type", Map.of("uploadContentTypes", "video/mp4,video/x-msvideo"),
            "uploadContentTypes must be distinct values from [video/mp4, video/quicktime, video/webm]"),
        invalid("pending upload record outlived by its URL", Map.of("pendingUploadTtlSeconds", "600"),
            "pendingUploadTtlSeconds must be from 900 to 2592000 seconds, not 600", "outlive its URL"),
        invalid("in-flight quota over one BatchGetItem", Map.of("quotaUploadsInFlight", "101"),
            "quotaUploadsInFlight must be from 1 to 100 uploads, not 101", "BatchGetItem"),
        invalid("daily byte quota below the largest upload", Map.of("uploadMaxBytes", "2000", "quotaBytesPerDay", "1999"),
            "quotaBytesPerDay must be from 2000 to 1125899906842624 bytes, not 1999", "at least uploadMaxBytes"),
        invalid("uploads expiring before a DLQ redrive", Map.of("uploadRetentionDays", "7"),
            "uploadRetentionDays must be from 14 to 3650 days, not 7", "redriven from a DLQ"),
        invalid("records expiring before their job's messages", Map.of("recordRetentionDays", "17"),
            "recordRetentionDays must be from 18 to 3650 days, not 17",
            "queueRetentionSeconds + dlqRetentionSeconds in days, so a job's record outlives its messages"),
        invalid("processed outputs kept forever", Map.of("processedRetentionDays", "0"),
            "processedRetentionDays must be from 1 to 3650 days, not 0"),
        invalid("rejected inputs kept", Map.of("rejectedInputs", "keep"),
            "rejectedInputs must be delete or quarantine (what becomes of an upload that is rejected or fails), not 'keep'"),
        invalid("quarantine kept for years", Map.of("quarantineRetentionDays", "1000"),
            "quarantineRetentionDays must be from 1 to 365 days, not 1000"),
        invalid("user ids logged some other way", Map.of("logUserIds", "masked"),
            "logUserIds must be hashed or plain (how the logs write user ids), not 'masked'"),
        invalid("JWT issuer missing", Map.of("jwtIssuer", ""), "jwtIssuer is required", "https URL"),
        invalid("JWT issuer not https", Map.of("jwtIssuer", "http://issuer.example.com/"),
            "jwtIssuer must be an https URL without query or fragment, not 'http://issuer.example.com/'"),
        invalid("JWT audience empty", Map.of("jwtAudience", "[]"),
            "jwtAudience must be a non-empty list without blank entries, not []"),
        // API Gateway refuses a JWT authorizer with more than 50 audiences.
        invalid("JWT audiences over 50", Map.of("jwtAudience", String.join(",",
                java.util.stream.IntStream.rangeClosed(1, 51).mapToObj(i -> "client-" + i).toList())),
            "jwtAudience must list at most 50 audiences", "not 51"),
        // A space would split one scope in two in the token's scope claim.
        invalid("JWT scope with a space", Map.of("jwtScopes", "[\"uploads write\"]"),
            "jwtScopes must be a list of 1 to 5 OAuth scopes", "(not a scope: [uploads write])"),
        invalid("JWT scopes over 5", Map.of("jwtScopes", "a,b,c,d,e,f"), "jwtScopes must be a list of 1 to 5", "not [a, b, c, d, e, f]"),
        invalid("JWT scopes empty", Map.of("jwtScopes", "[]"), "jwtScopes must be a non-empty list"),
        invalid("status scope with a quote", Map.of("statusJwtScopes", "[\"uploads\\\"read\"]"),
            "statusJwtScopes must be a list of 1 to 5 OAuth scopes", "(not a scope: [uploads\"read])"),
        invalid("status scopes duplicated", Map.of("statusJwtScopes", "uploads:read,uploads:read"),
            "statusJwtScopes must be a list of 1 to 5 OAuth scopes", "without duplicates"),
        invalid("status scopes empty", Map.of("statusJwtScopes", "[]"), "statusJwtScopes must be a non-empty list"),
        // Lambda's async invoke config allows at most 21600 s; EventBridge's retry policy 86400.
        invalid("router event age over Lambda's 6 hours", Map.of("routerEventMaxAgeSeconds", "21601"),
            "routerEventMaxAgeSeconds must be from 60 to 21600 seconds, not 21601"),
        invalid("event age over EventBridge's 24 hours", Map.of("eventMaxAgeSeconds", "86401"),
            "eventMaxAgeSeconds must be from 60 to 86400 seconds, not 86401"),
        // Every tier's subscriptions go into each function's 4 KB environment.
        invalid("subscriptions over their share of the environment", Map.of("tiers", "[{\"name\":\"a\",\"maxConcurrency\":2,"
                + "\"subscriptions\":" + dev.priorityqueues.infra.JsonSupport.write(java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> i + "s".repeat(59)).toList()) + "}]"),
            "tiers lists subscriptions that take 325 bytes", "over the 128"),
        // The bus ARN shares the worker's 4 KB environment with the tier table.
        invalid("event bus name over 64 characters", Map.of("eventBusArn",
                "arn:aws:events:us-east-1:123456789012:event-bus/" + "b".repeat(65)),
            "eventBusArn must be an EventBridge event bus ARN", "the name at most 64 characters"),
        invalid("CORS wildcard origin", Map.of("corsAllowedOrigins", "[\"*\"]"),
            "corsAllowedOrigins entry '*' is a wildcard", "credentials", "https://host[:port]"),
        invalid("CORS origin over plain http", Map.of("corsAllowedOrigins", "http://app.example.com"),
            "corsAllowedOrigins entry 'http://app.example.com' must use https", "http://localhost"),
        invalid("CORS origin with a path", Map.of("corsAllowedOrigins", "[\"https://app.example.com/\"]"),
            "corsAllowedOrigins entry 'https://app.example.com/' is not an origin", "trailing slash"),
        invalid("CORS origins not a list", Map.of("corsAllowedOrigins", "[[\"https://a.example\"]]"),
            "corsAllowedOrigins entry '[\"https://a.example\"]' is not a URL"),
        invalid("CORS origin twice", Map.of("corsAllowedOrigins", "https://a.example,https://a.example"),
            "corsAllowedOrigins lists an origin twice"),
        invalid("alarm e-mail and topic both set",
            Map.of("alarmEmail", "ops@example.com", "alarmTopicArn", "arn:aws:sns:us-east-1:123456789012:ops"),
            "set alarmEmail or alarmTopicArn, not both"),
        invalid("alarm e-mail malformed", Map.of("alarmEmail", "ops"), "alarmEmail must be an e-mail address, not 'ops'"),
        invalid("alarm topic not an SNS ARN", Map.of("alarmTopicArn", "arn:aws:sqs:us-east-1:123456789012:ops"),
            "alarmTopicArn must be an SNS topic ARN"),
        invalid("log retention CloudWatch does not offer", Map.of("logRetentionDays", "45"),
            "logRetentionDays must be one of CloudWatch's retention periods", "not 45"),
        invalid("reserved tag key", Map.of("tags", "{\"aws:owner\":\"me\"}"),
            "tags entry 'aws:owner' is invalid", "must not start with aws:"),
        invalid("worker processor unknown", Map.of("workerProcessor", "ffmpeg"),
            "workerProcessor must be 'transcode', 'inspect' or 'simulated:<millis>'", "not 'ffmpeg'"),
        invalid("worker architecture unknown", Map.of("workerArchitecture", "arm"),
            "workerArchitecture must be x86_64 or arm64, not 'arm'"),
        invalid("ephemeral storage below Lambda's 512 MB", Map.of("workerEphemeralStorageMb", "256"),
            "workerEphemeralStorageMb must be", "not 256"),
        invalid("ephemeral storage above Lambda's 10240 MB", Map.of("workerEphemeralStorageMb", "10241"),
            "workerEphemeralStorageMb must be", "not 10241"),
        invalid("rendition upscale-proof ladder malformed", Map.of("renditions", "720,abc"),
            "renditions must list 1 to 4 distinct even heights", "'abc' is not a height"),
        invalid("rendition height odd", Map.of("renditions", "721"), "renditions must list", "721 is not an even height"),
        invalid("rendition listed twice", Map.of("renditions", "360,360"), "renditions must list", "360 is listed twice"),
        invalid("watermark corner unknown", Map.of("watermarkCorner", "center"),
            "watermarkCorner must be one of [top-left, top-right, bottom-left, bottom-right, none], not 'center'"),
        invalid("thumbnail offset negative", Map.of("thumbnailOffsetMillis", "-1"), "thumbnailOffsetMillis must be"),
        invalid("event bus not an EventBridge bus ARN", Map.of("eventBusArn", "arn:aws:sns:us-east-1:123456789012:x"),
            "eventBusArn must be an EventBridge event bus ARN", "not 'arn:aws:sns:us-east-1:123456789012:x'"),
        invalid("transcode speed zero", Map.of("transcodeSpeed", "0"), "transcodeSpeed must be a number from 0.01 to 100.0"),
        invalid("code root missing", Map.of("codeRoot", "no/such/dir"), "codeRoot must be an existing directory"),
        invalid("unknown key", Map.of("workerMemory", "2048"), "unknown config key 'workerMemory'", "workerMemoryMb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classes")
  void stopsWithOneProblemNamingTheKeyAndTheAllowedValues(String name, Map<String, String> config,
      List<String> expected) {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> TestSettings.with(dir, config));

    assertThat(e).as(name + " must be rejected").isNotNull();
    assertThat(e.problems()).as("exactly one problem for " + name).hasSize(1);
    assertThat(e.problems().get(0)).contains(expected);
  }

  @Test
  void thereAreAtLeastFifteenClasses() {
    assertThat(classes().count()).isGreaterThanOrEqualTo(15);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> TestSettings.with(dir, Map.of(
        "workerMemoryMb", "64", "flow", "fifo", "uploadUrlExpirySeconds", "3600", "jwtIssuer", "")))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).hasSize(4))
        .hasMessageStartingWith("priority-queues has 4 invalid config values; nothing was created:")
        .hasMessageContainingAll("workerMemoryMb", "flow", "uploadUrlExpirySeconds", "jwtIssuer",
            "pulumi config set");
  }

  @Test
  void anEncryptedValueInAStackFileIsRefused() throws IOException {
    Path project = Files.createDirectories(dir.resolve("secret"));
    Files.writeString(project.resolve("Pulumi.s.yaml"), """
        config:
          priority-queues:jwtIssuer:
            secure: AAABAKx0bW9wYXF1ZQ==
        """);
    assertThatThrownBy(() -> Settings.fromStackFile(project, "s"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("jwtIssuer is encrypted in Pulumi.s.yaml");
  }

  @Test
  void aKeyWithoutItsNamespaceIsRefused() throws IOException {
    Path project = Files.createDirectories(dir.resolve("bare"));
    Files.writeString(project.resolve("Pulumi.b.yaml"), "config:\n  flow: queue-level\n");
    assertThatThrownBy(() -> Settings.fromStackFile(project, "b"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("config key 'flow' has no namespace; write priority-queues:flow");
  }
}
