package dev.priorityqueues.infra.components;

import com.pulumi.aws.dynamodb.Table;
import com.pulumi.aws.dynamodb.TableArgs;
import com.pulumi.aws.dynamodb.inputs.TableAttributeArgs;
import com.pulumi.aws.dynamodb.inputs.TableGlobalSecondaryIndexArgs;
import com.pulumi.aws.dynamodb.inputs.TablePointInTimeRecoveryArgs;
import com.pulumi.aws.dynamodb.inputs.TableServerSideEncryptionArgs;
import com.pulumi.aws.dynamodb.inputs.TableTtlArgs;
import com.pulumi.aws.s3.BucketCorsConfigurationV2;
import com.pulumi.aws.s3.BucketCorsConfigurationV2Args;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketNotification;
import com.pulumi.aws.s3.BucketNotificationArgs;
import com.pulumi.aws.s3.BucketOwnershipControls;
import com.pulumi.aws.s3.BucketOwnershipControlsArgs;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPolicyArgs;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.aws.s3.BucketVersioningV2Args;
import com.pulumi.aws.s3.inputs.BucketCorsConfigurationV2CorsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResourceOptions;
import dev.priorityqueues.contract.Keys;
import dev.priorityqueues.contract.Tables;
import dev.priorityqueues.infra.config.Settings;
import dev.priorityqueues.infra.iam.PolicyDocument;
import dev.priorityqueues.infra.iam.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the system keeps its state: the private upload bucket (all public access blocked,
 * encrypted, versioned, TLS only, uploads expiring, events to EventBridge) and the on-demand
 * DynamoDB tables, {@code videos}, {@code users} and {@code quotas}, with point-in-time recovery
 * and TTL.
 */
public final class Storage extends Component {
  public static final String TYPE = "Storage";

  /** s3:authType of a request authenticated by a presigned URL (query-string SigV4). */
  public static final String PRESIGNED_AUTH_TYPE = "REST-QUERY-STRING";

  /** Days after which an unfinished multipart upload is aborted. */
  static final int ABORT_MULTIPART_DAYS = 1;

  private final BucketV2 bucket;
  private final BucketPublicAccessBlock publicAccess;
  private final Table videos;
  private final Table users;
  private final Table quotas;

  /**
   * The arguments: upload and version expiry ({@code uploads}), deletion protection, the
   * browser origins allowed to PUT presigned uploads (empty means no CORS rule), and how long
   * outputs are kept ({@code privacy}). The config edge
   * validated every value.
   */
  public record Args(Settings.Uploads uploads, boolean protectData, List<String> corsAllowedOrigins,
      Optional<Encryption> encryption, Map<String, String> tags, Settings.Privacy privacy) {
    public Args {
      Objects.requireNonNull(uploads, "uploads");
      Objects.requireNonNull(encryption, "encryption");
      Objects.requireNonNull(privacy, "privacy");
      corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
      tags = Map.copyOf(tags);
    }
  }

  public Storage(String name, Args args, ComponentResourceOptions options) {
    super(TYPE, name, options);

    bucket = new BucketV2(childName("bucket"), BucketV2Args.builder()
        .forceDestroy(!args.protectData())
        .tags(args.tags())
        .build(), child());
    Output<String> bucketName = bucket.bucket();

    publicAccess = new BucketPublicAccessBlock(childName("public-access-block"),
        BucketPublicAccessBlockArgs.builder()
            .bucket(bucketName)
            .blockPublicAcls(true)
            .blockPublicPolicy(true)
            .ignorePublicAcls(true)
            .restrictPublicBuckets(true)
            .build(), child());

    new BucketOwnershipControls(childName("ownership"), BucketOwnershipControlsArgs.builder()
        .bucket(bucketName)
        .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
        .build(), child());

    new BucketServerSideEncryptionConfigurationV2(childName("encryption"),
        BucketServerSideEncryptionConfigurationV2Args.builder()
            .bucket(bucketName)
            .rules(encryptionRule(args.encryption()))
            .build(), child());

    var versioning = new BucketVersioningV2(childName("versioning"), BucketVersioningV2Args.builder()
        .bucket(bucketName)
        .versioningConfiguration(BucketVersioningV2VersioningConfigurationArgs.builder().status("Enabled").build())
        .build(), child());

    new BucketLifecycleConfigurationV2(childName("lifecycle"), BucketLifecycleConfigurationV2Args.builder()
        .bucket(bucketName)
        .rules(
            // Housekeeping for the whole bucket: unfinished multipart uploads, old versions,
            // and the delete markers left once their versions are gone.
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("housekeeping")
                .status("Enabled")
                .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix("").build())
                .abortIncompleteMultipartUpload(
                    BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs.builder()
                        .daysAfterInitiation(ABORT_MULTIPART_DAYS)
                        .build())
                .noncurrentVersionExpiration(
                    BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                        .noncurrentDays(args.uploads().noncurrentVersionExpirationDays())
                        .build())
                .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                    .expiredObjectDeleteMarker(true)
                    .build())
                .build(),
            // Uploads, processed or abandoned, go after uploadRetentionDays.
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("expire-uploads")
                .status("Enabled")
                .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(Keys.UPLOADS_PREFIX).build())
                .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                    .days(args.uploads().retentionDays())
                    .build())
                .build(),
            // What was made of an upload is personal data too: it goes after processedRetentionDays
            // (then the housekeeping rule removes the noncurrent version it leaves).
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("expire-processed")
                .status("Enabled")
                .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(Keys.PROCESSED_PREFIX).build())
                .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                    .days(args.privacy().processedRetentionDays())
                    .build())
                .build(),
            // Inputs moved aside by rejectedInputs: quarantine: kept briefly for a look, then
            // gone. Declared whatever the mode, so switching to delete never strands them.
            BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("expire-quarantine")
                .status("Enabled")
                .filter(BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix(Keys.QUARANTINE_PREFIX).build())
                .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                    .days(args.privacy().quarantineRetentionDays())
                    .build())
                .build())
        .build(), child(versioning));

    if (!args.corsAllowedOrigins().isEmpty()) {
      // Browsers PUT to the presigned URL with the signed Content-Type and If-None-Match; ETag
      // is exposed so a page can confirm what S3 stored.
      new BucketCorsConfigurationV2(childName("cors"), BucketCorsConfigurationV2Args.builder()
          .bucket(bucketName)
          .corsRules(BucketCorsConfigurationV2CorsRuleArgs.builder()
              .id("browser-uploads")
              .allowedOrigins(args.corsAllowedOrigins())
              .allowedMethods("PUT")
              .allowedHeaders("content-type", "content-length", "if-none-match")
              .exposeHeaders("ETag")
              .maxAgeSeconds(UploadApi.CORS_MAX_AGE_SECONDS)
              .build())
          .build(), child());
    }

    // S3 sends every object event to EventBridge; the router's rule picks the uploads.
    new BucketNotification(childName("notification"), BucketNotificationArgs.builder()
        .bucket(bucketName)
        .eventbridge(true)
        .build(), child());

    videos = table("videos", Tables.Videos.KEY, args, true);
    users = table("users", Tables.Users.KEY, args, false);
    // Per-user quota counters (presign's); each expires with its window through the TTL.
    quotas = table("quotas", Tables.Quotas.KEY, args, false);

    registerOutputs(Map.of(
        "bucketName", bucketName, "bucketArn", bucket.arn(),
        "videosTableName", videos.name(), "usersTableName", users.name(), "quotasTableName", quotas.name()));
  }

  /**
   * The bucket policy: TLS only; {@code uploads/} written only through presign's presigned URLs
   * within their lifetime, and only with {@code If-None-Match} (single-use); {@code processed/}
   * written only by the worker; {@code quarantine/} written only by {@code quarantiners}, the roles
   * that move rejected and failed uploads there (none when inputs are deleted, and then the prefix
   * is not used). Explicit Denies, so no
   * identity policy in the account can grant more. The roles are created after the bucket (their
   * policies name it), so the stack calls this once they exist.
   */
  public void restrictWrites(Output<String> presignRoleArn, Output<String> workerRoleArn,
      List<Output<String>> quarantiners, int urlExpirySeconds) {
    List<Statement> statements = new ArrayList<>();
    statements.add(Statement.denyInsecureTransport("s3", List.of(bucket.arn(), objectsArn(""))));
    statements.addAll(uploadWrites(presignRoleArn, urlExpirySeconds));
    statements.add(denyUploadsWithoutIfNoneMatch(objectsArn(Keys.UPLOADS_PREFIX)));
    statements.add(resultWrites(workerRoleArn));
    if (!quarantiners.isEmpty()) {
      statements.add(quarantineWrites(quarantiners));
    }
    // After the public access block, so S3 never sees a policy on a bucket without one.
    new BucketPolicy(childName("policy"), BucketPolicyArgs.builder()
        .bucket(bucket.bucket())
        .policy(PolicyDocument.of(statements))
        .build(), child(publicAccess));
  }

  /**
   * Three Denies, since a statement's conditions must all hold and any one failure must refuse:
   * another principal; not a presigned URL (s3:authType REST-QUERY-STRING); a signature older than
   * the URL lifetime (s3:signatureAge, in milliseconds). S3 User Guide, "Amazon S3 Signature
   * Version 4 Authentication Specific Policy Keys".
   */
  private List<Statement> uploadWrites(Output<String> presignRoleArn, int urlExpirySeconds) {
    Output<String> uploads = objectsArn(Keys.UPLOADS_PREFIX);
    return List.of(
        Statement.deny("UploadsOnlyByPresign")
            .anyPrincipal()
            .actions("s3:PutObject")
            .resources(uploads)
            .condition("ArnNotEquals", "aws:PrincipalArn", presignRoleArn)
            .build(),
        Statement.deny("UploadsOnlyThroughPresignedUrls")
            .anyPrincipal()
            .actions("s3:PutObject")
            .resources(uploads)
            .condition("StringNotEquals", "s3:authType", Output.of(PRESIGNED_AUTH_TYPE))
            .build(),
        Statement.deny("UploadsWithinUrlLifetime")
            .anyPrincipal()
            .actions("s3:PutObject")
            .resources(uploads)
            .condition("NumericGreaterThan", "s3:signatureAge", Output.of(Long.toString(urlExpirySeconds * 1000L)))
            .build());
  }

  private Statement resultWrites(Output<String> workerRoleArn) {
    return Statement.deny("ResultsOnlyByWorker")
        .anyPrincipal()
        .actions("s3:PutObject")
        .resources(objectsArn(Keys.PROCESSED_PREFIX))
        .condition("ArnNotEquals", "aws:PrincipalArn", workerRoleArn)
        .build();
  }

  /**
   * SSE-S3 (AES256) by default; with a customer key, SSE-KMS with an S3 Bucket Key, which lets S3
   * derive object keys from a bucket-level key instead of calling KMS for every object (S3 User
   * Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"). Callers still need the
   * key's permissions (see Encryption).
   */
  private static BucketServerSideEncryptionConfigurationV2RuleArgs encryptionRule(Optional<Encryption> encryption) {
    var byDefault = BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder();
    var rule = BucketServerSideEncryptionConfigurationV2RuleArgs.builder();
    if (encryption.isPresent()) {
      byDefault.sseAlgorithm("aws:kms").kmsMasterKeyId(encryption.get().keyArn());
      rule.bucketKeyEnabled(true);
    } else {
      byDefault.sseAlgorithm("AES256");
    }
    return rule.applyServerSideEncryptionByDefault(byDefault.build()).build();
  }

  /** Only the roles that quarantine inputs write under quarantine/. */
  private Statement quarantineWrites(List<Output<String>> quarantiners) {
    return Statement.deny("QuarantineOnlyByThePipeline")
        .anyPrincipal()
        .actions("s3:PutObject")
        .resources(objectsArn(Keys.QUARANTINE_PREFIX))
        .condition("ArnNotEquals", "aws:PrincipalArn", quarantiners)
        .build();
  }

  private Table table(String suffix, String key, Args args, boolean byUser) {
    var table = TableArgs.builder()
        .billingMode("PAY_PER_REQUEST")
        .hashKey(key);
    if (byUser) {
      // The status API lists a user's videos newest first. ALL: a list row shows status, tier,
      // waits and name, nearly the whole (small) record, so a KEYS_ONLY index would cost a read each.
      table.attributes(
              TableAttributeArgs.builder().name(key).type("S").build(),
              TableAttributeArgs.builder().name(Tables.Videos.USER_ID).type("S").build(),
              TableAttributeArgs.builder().name(Tables.Videos.CREATED_AT).type("N").build())
          .globalSecondaryIndexes(TableGlobalSecondaryIndexArgs.builder()
              .name(Tables.Videos.BY_USER_INDEX)
              .hashKey(Tables.Videos.USER_ID)
              .rangeKey(Tables.Videos.CREATED_AT)
              .projectionType("ALL")
              .build());
    } else {
      table.attributes(TableAttributeArgs.builder().name(key).type("S").build());
    }
    return new Table(childName(suffix), table
        .pointInTimeRecovery(TablePointInTimeRecoveryArgs.builder().enabled(true).build())
        .ttl(TableTtlArgs.builder().attributeName(Tables.TTL).enabled(true).build())
        .serverSideEncryption(tableEncryption(args.encryption()))
        .deletionProtectionEnabled(args.protectData())
        .tags(args.tags())
        .build(), child());
  }

  /** The AWS-managed key by default (enabled without a key ARN), or the customer key. */
  private static TableServerSideEncryptionArgs tableEncryption(Optional<Encryption> encryption) {
    var sse = TableServerSideEncryptionArgs.builder().enabled(true);
    encryption.ifPresent(e -> sse.kmsKeyArn(e.keyArn()));
    return sse.build();
  }

  /**
   * Single-use upload URLs, enforced by the bucket: a write under {@code uploads/} without
   * {@code If-None-Match} (condition key {@code s3:if-none-match}, S3 User Guide "Enforce
   * conditional writes") is denied to everyone, so no write can replace an upload, whoever signs
   * it. The multipart calls (CreateMultipartUpload, UploadPart) are {@code s3:PutObject} too and
   * carry no conditional header, so they are denied as well: presign hands out single PUTs only.
   * So is CopyObject into {@code uploads/} (S3 answers 403, or 501 with the header).
   */
  static Statement denyUploadsWithoutIfNoneMatch(Output<String> uploadsArn) {
    return Statement.deny("DenyUploadsWithoutIfNoneMatch")
        .anyPrincipal()
        .actions("s3:PutObject")
        .resources(uploadsArn)
        .condition("Null", IF_NONE_MATCH_KEY, Output.of("true"))
        .build();
  }

  /** The S3 condition key that holds a write's {@code If-None-Match} header. */
  public static final String IF_NONE_MATCH_KEY = "s3:if-none-match";

  public BucketV2 bucket() {
    return bucket;
  }

  /** The ARN of the videos table's index by user and time. */
  public Output<String> videosByUserArn() {
    return videos.arn().applyValue(arn -> arn + "/index/" + Tables.Videos.BY_USER_INDEX);
  }

  /** The ARN pattern of every object under {@code prefix}, e.g. {@code arn:aws:s3:::b/uploads/*}. */
  public Output<String> objectsArn(String prefix) {
    return bucket.arn().applyValue(arn -> arn + "/" + prefix + "*");
  }

  public Table videos() {
    return videos;
  }

  public Table users() {
    return users;
  }

  public Table quotas() {
    return quotas;
  }
}
