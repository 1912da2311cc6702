package dev.priorityqueues.local.coldstart;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The cold-start floor: a fresh JVM that builds the same SDK clients a function builds (same
 * HTTP client, region, endpoints and credentials) and makes one cheap call with each, and nothing
 * else. A handler's cold start is reported as a multiple of this floor, measured in the same run.
 *
 * <p>Usage: {@code FloorProbe <env properties file> <services: sqs,dynamodb,s3> <table> <queue url> <bucket>}
 */
public final class FloorProbe {
  private FloorProbe() {}

  public static void main(String[] args) throws Exception {
    long mainNanos = System.nanoTime();
    long jvmToMain = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    Map<String, String> env = ColdStartProbe.readEnv(Path.of(args[0]));
    List<String> services = List.of(args[1].split(","));
    String table = args[2];
    String queueUrl = args[3];
    String bucket = args[4];
    long start = System.nanoTime();
    SdkHttpClient http = UrlConnectionHttpClient.create();
    Region region = Region.of(env.get("AWS_REGION"));
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
    if (services.contains("dynamodb")) {
      DynamoDbClient ddb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
          .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
      ddb.getItem(b -> b.tableName(table).key(Map.of("videoKey", AttributeValue.fromS("uploads/floor/none.mp4"))));
    }
    if (services.contains("sqs")) {
      SqsClient sqs = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
          .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).build();
      sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
    if (services.contains("s3")) {
      S3Client s3 = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials)
          .forcePathStyle(true).endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build();
      s3.headBucket(b -> b.bucket(bucket));
    }
    long work = System.nanoTime() - start;
    System.out.printf(
        "{\"jvmToMainMillis\":%d,\"clientsAndCallsMillis\":%.1f,\"totalMillis\":%.1f}%n",
        jvmToMain, work / 1e6, jvmToMain + (System.nanoTime() - mainNanos) / 1e6);
  }
}
