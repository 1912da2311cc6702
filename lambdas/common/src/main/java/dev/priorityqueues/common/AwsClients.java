package dev.priorityqueues.common;

import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients of one execution environment, built from the function's configuration map.
 * A handler builds one {@code AwsClients} in its constructor (Lambda's init phase, which SnapStart
 * snapshots) and asks for the clients it uses; each is built once, on first request, and reused.
 *
 * <ul>
 *   <li>HTTP: the url-connection client only (netty and apache are excluded from the build), one
 *       instance shared by every client.
 *   <li>Region: {@code AWS_REGION}, which Lambda always sets; no region lookup chain.
 *   <li>Endpoints: {@code AWS_ENDPOINT_URL_SQS|DYNAMODB|S3} override a service's endpoint (the
 *       local cloud points them at loopback); S3 then uses path-style addressing.
 *   <li>S3 uploads: plain bodies, not aws-chunked; the SDK reads a body once for its checksum,
 *       sent as a header, then again to send it.
 *   <li>Credentials: with any endpoint override, the static pair in the map; otherwise the SDK's
 *       default chain, which resolves lazily, so a SnapStart snapshot holds no credentials and a
 *       restored environment picks up its own.
 * </ul>
 */
public final class AwsClients implements AutoCloseable {

  /** Lambda functions are short-lived; a stuck connection should fail fast and be retried. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Optional<URI> sqsEndpoint;
  private final Optional<URI> dynamoDbEndpoint;
  private final Optional<URI> s3Endpoint;
  private final Optional<URI> eventsEndpoint;
  private final SdkHttpClient http;
  private final boolean local;

  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private S3Client s3;
  private S3Presigner presigner;

  public AwsClients(EnvReader env) {
    this.region = Region.of(env.require(FunctionEnv.AWS_REGION));
    this.sqsEndpoint = endpoint(env, FunctionEnv.AWS_ENDPOINT_URL_SQS);
    this.dynamoDbEndpoint = endpoint(env, FunctionEnv.AWS_ENDPOINT_URL_DYNAMODB);
    this.s3Endpoint = endpoint(env, FunctionEnv.AWS_ENDPOINT_URL_S3);
    this.eventsEndpoint = endpoint(env, FunctionEnv.AWS_ENDPOINT_URL_EVENTBRIDGE);
    this.local = sqsEndpoint.isPresent() || dynamoDbEndpoint.isPresent() || s3Endpoint.isPresent();
    this.credentials =
        local
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    env.require(FunctionEnv.AWS_ACCESS_KEY_ID), env.require(FunctionEnv.AWS_SECRET_ACCESS_KEY)))
            : DefaultCredentialsProvider.builder().build();
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT)
            .build();
  }

  public Region region() {
    return region;
  }

  /** True when the endpoints point somewhere other than AWS (the local cloud, tests). */
  public boolean endpointsOverridden() {
    return local;
  }

  public synchronized SqsClient sqs() {
    if (sqs == null) {
      sqs = configure(SqsClient.builder(), sqsEndpoint).build();
    }
    return sqs;
  }

  public synchronized DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = configure(DynamoDbClient.builder(), dynamoDbEndpoint).build();
    }
    return dynamoDb;
  }

  public synchronized S3Client s3() {
    if (s3 == null) {
      s3 =
          configure(S3Client.builder(), s3Endpoint)
              .forcePathStyle(s3Endpoint.isPresent())
              // Uploads go as plain bodies, their CRC32 computed in a first read and sent as a
              // header, not aws-chunked with a trailer: the chunked encoder copies every chunk
              // into a fresh array, so a job allocated as many bytes as it uploaded.
              .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
              .build();
    }
    return s3;
  }

  /** PutEvents to {@code bus} (a name or ARN) on EventBridge's regional endpoint, or the local one. */
  public EventPublisher events(String bus) {
    URI endpoint = eventsEndpoint.orElseGet(() -> URI.create("https://events." + region.id() + "."
        + (region.id().startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com") + "/"));
    return new EventPublisher(http, credentials, region, endpoint, bus);
  }

  /** Presigning is local computation: no HTTP client, no network call. */
  public synchronized S3Presigner presigner() {
    if (presigner == null) {
      S3Presigner.Builder builder =
          S3Presigner.builder()
              .region(region)
              .credentialsProvider(credentials)
              .serviceConfiguration(
                  S3Configuration.builder().pathStyleAccessEnabled(s3Endpoint.isPresent()).build());
      s3Endpoint.ifPresent(builder::endpointOverride);
      presigner = builder.build();
    }
    return presigner;
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, Optional<URI> endpoint) {
    builder.region(region).credentialsProvider(credentials).httpClient(http);
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }

  private static Optional<URI> endpoint(EnvReader env, String name) {
    return env.optional(name).map(value -> {
      try {
        URI uri = new URI(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new ContractException(name + " must be an absolute URL such as http://127.0.0.1:4566, not '" + value + "'");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new ContractException(name + " is not a URL: '" + value + "'", e);
      }
    });
  }

  @Override
  public synchronized void close() {
    if (sqs != null) {
      sqs.close();
    }
    if (dynamoDb != null) {
      dynamoDb.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (presigner != null) {
      presigner.close();
    }
    http.close();
  }
}
