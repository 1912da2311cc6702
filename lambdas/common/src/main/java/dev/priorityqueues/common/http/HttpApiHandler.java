package dev.priorityqueues.common.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Priming;
import dev.priorityqueues.contract.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every function behind the HTTP API (payload v2, JWT) shares: a thin adapter from the event
 * to a service's {@link HttpReply}, refusals ({@link ApiError}) as {@code {"error", "message",
 * "requestId"}} bodies with their status (405 with {@code Allow}), any other failure as a logged
 * 500, JSON responses that are never cached, and the SnapStart priming hook.
 */
public abstract class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  /** A service behind the API: one request in, one reply out, refusals thrown as {@link ApiError}. */
  public interface Service {
    HttpReply handle(HttpRequest request, Log log);

    /** Real calls once, before a SnapStart snapshot, so it holds warmed-up clients. */
    void prime();
  }

  private final Service service;
  private final Log log;
  private final String allow;
  private final String failure;
  @SuppressWarnings("unused") // CRaC holds resources weakly; this field keeps the hook alive.
  private final Priming priming;

  /**
   * {@code allow}: the routes' method, for a 405's {@code Allow}; {@code failure}: the sentence a
   * 500 says to the client.
   */
  protected HttpApiHandler(Service service, Log log, String allow, String failure) {
    this.service = Objects.requireNonNull(service, "service");
    this.log = Objects.requireNonNull(log, "log");
    this.allow = Objects.requireNonNull(allow, "allow");
    this.failure = Objects.requireNonNull(failure, "failure");
    this.priming = Priming.register(log, service::prime);
  }

  @Override
  public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Log requestLog = log.with("requestId", context == null ? null : context.getAwsRequestId());
    HttpReply reply;
    try {
      reply = service.handle(HttpRequest.from(event), requestLog);
    } catch (ApiError e) {
      requestLog.info("request refused", "status", e.status(), "error", e.code(), "reason", e.getMessage());
      reply = error(e.status(), e.code(), e.getMessage(), context);
      if (e.status() == 405) {
        reply = new HttpReply(reply.status(), Map.of("Allow", allow), reply.body());
      } else if (!e.headers().isEmpty()) {
        reply = new HttpReply(reply.status(), e.headers(), reply.body());
      }
    } catch (RuntimeException e) {
      requestLog.error("request failed", e);
      reply = error(500, "internal_error", failure, context);
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
