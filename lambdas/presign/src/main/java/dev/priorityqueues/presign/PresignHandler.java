package dev.priorityqueues.presign;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Priming;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP API (JWT) → presigned S3 PUT. A thin adapter: the work is in {@link PresignService}. */
public final class PresignHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final PresignService service;
  private final Log log;
  @SuppressWarnings("unused") // CRaC holds resources weakly; this field keeps the hook alive.
  private final Priming priming;

  /** Used by the Lambda runtime. */
  public PresignHandler() {
    this(System.getenv());
  }

  /** Used by the local cloud and tests: every setting comes from {@code env}. */
  public PresignHandler(Map<String, String> env) {
    this(new EnvReader(env), Clock.systemUTC());
  }

  private PresignHandler(EnvReader env, Clock clock) {
    this(service(env, new AwsClients(env), clock), Log.create(Functions.PRESIGN.id(), env, Log.stdout(), clock));
  }

  /** Used by tests that wire the service themselves. */
  public PresignHandler(PresignService service, Log log) {
    this.service = service;
    this.log = log;
    this.priming = Priming.register(log, service::prime);
  }

  /** The service for a configuration map, with the given clients and clock. */
  public static PresignService service(EnvReader env, AwsClients clients, Clock clock) {
    PresignConfig config = PresignConfig.from(env);
    return new PresignService(config, clients.presigner(), new VideoStore(clients.dynamoDb(), config.videosTable()),
        new UploadQuotas(clients.dynamoDb(), config.quotasTable(), config.videosTable(), config.maxUploadsInFlight(),
            config.maxBytesPerDay(), config.urlExpiry()),
        clock);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Log requestLog = log.with("requestId", context == null ? null : context.getAwsRequestId());
    HttpReply reply;
    try {
      reply = service.handle(HttpRequest.from(event), requestLog);
    } catch (ApiError e) {
      requestLog.info("request refused", "status", e.status(), "error", e.code(), "reason", e.getMessage());
      reply = error(e.status(), e.code(), e.getMessage(), context);
      if (e.status() == 405) {
        reply = new HttpReply(reply.status(), Map.of("Allow", "POST"), reply.body());
      } else if (!e.headers().isEmpty()) {
        reply = new HttpReply(reply.status(), e.headers(), reply.body());
      }
    } catch (RuntimeException e) {
      requestLog.error("request failed", e);
      reply = error(500, "internal_error", "the upload could not be prepared; try again", context);
    }
    return response(reply);
  }

  private static HttpReply error(int status, String code, String message, Context context) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    if (context != null) {
      body.put("requestId", context.getAwsRequestId());
    }
    return HttpReply.of(status, body);
  }

  private static APIGatewayV2HTTPResponse response(HttpReply reply) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.putAll(reply.headers());
    APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
    response.setStatusCode(reply.status());
    response.setHeaders(headers);
    response.setBody(Json.write(reply.body()));
    response.setIsBase64Encoded(false);
    return response;
  }
}
