package dev.priorityqueues.local.sdk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Map;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/**
 * Registered through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), so every client built
 * in a JVM that has the local cloud on its classpath passes through it — handlers included,
 * without a line of handler code knowing. It holds no state of its own: each call belongs to the
 * {@link CallScope} bound to its client's endpoint (one per local cloud), which counts it
 * ({@link ApiCalls}), lags its SQS attributes ({@link AttributeLag}) and runs its {@link
 * CallHook}s.
 */
public final class LocalCloudInterceptor implements ExecutionInterceptor {

  private static final ExecutionAttribute<CallScope> SCOPE = new ExecutionAttribute<>("pq-local-scope");
  private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("pq-local-started");
  /**
   * The error body the hooks settled on, once they have read the server's, and the answer it
   * belongs to: the attributes outlive an attempt, and a retry's answer must keep its own body.
   */
  private static final ExecutionAttribute<ErrorBody> ERROR_BODY = new ExecutionAttribute<>("pq-local-error-body");

  private record ErrorBody(SdkHttpResponse answeredTo, Optional<byte[]> body) {}

  /**
   * Presigning runs the interceptor chain but sends nothing: it is neither an API call nor an
   * authorization (IAM checks a presigned URL when it is used).
   */
  private static boolean presigning(ExecutionAttributes attributes) {
    return attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    CallScope scope = CallScope.of(attributes.getAttribute(SdkExecutionAttribute.CLIENT_ENDPOINT)).orElse(null);
    if (scope == null) {
      return;
    }
    if (presigning(attributes)) {
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      for (CallHook hook : scope.hooks()) {
        hook.presigned(Caller.current(), service, operation, context.request());
      }
      return;
    }
    attributes.putAttribute(SCOPE, scope);
    Caller caller = Caller.current();
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    scope.apiCalls().record(caller, service, operation);
    attributes.putAttribute(STARTED, System.nanoTime());
    for (CallHook hook : scope.hooks()) {
      hook.beforeSend(caller, service, operation, context.request());
    }
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    CallScope scope = attributes.getAttribute(SCOPE);
    if (scope == null || scope.hooks().isEmpty()) {
      return request;
    }
    Caller caller = Caller.current();
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    for (CallHook hook : scope.hooks()) {
      request = hook.modifyRequest(caller, service, operation, request);
    }
    return request;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Long started = attributes.getAttribute(STARTED);
    if (started != null) {
      attributes.getAttribute(SCOPE).apiCalls().timed(Caller.current().kind() + ":" + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
          attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), System.nanoTime() - started);
    }
  }

  /**
   * Only error answers are offered to the hooks, so only their (small) bodies are read: a
   * successful GetObject streams through untouched.
   */
  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    SdkHttpResponse response = context.httpResponse();
    CallScope scope = attributes.getAttribute(SCOPE);
    if (scope == null || scope.hooks().isEmpty() || response.statusCode() < 400) {
      return response;
    }
    Caller caller = Caller.current();
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    CallHook.ErrorAnswer answer = new CallHook.ErrorAnswer(response, context.responseBody().map(LocalCloudInterceptor::readAll).orElse(null));
    for (CallHook hook : scope.hooks()) {
      answer = hook.modifyErrorAnswer(caller, service, operation, context.request(), answer);
    }
    attributes.putAttribute(ERROR_BODY, new ErrorBody(response, Optional.ofNullable(answer.body())));
    return answer.response();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    ErrorBody error = attributes.getAttribute(ERROR_BODY);
    return error == null || error.answeredTo() != context.httpResponse()
        ? context.responseBody()
        : error.body().map(ByteArrayInputStream::new);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
    SdkResponse response = context.response();
    CallScope scope = attributes.getAttribute(SCOPE);
    if (scope == null) {
      return response;
    }
    Caller caller = Caller.current();
    if (!scope.hooks().isEmpty()) {
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      SdkRequest request = context.request();
      for (CallHook hook : scope.hooks()) {
        response = hook.modifyResponse(caller, service, operation, request, response);
        hook.afterResponse(caller, service, operation, request);
      }
    }
    // The lag comes last: the hooks (fair queues' tenant sums) shape the true answer, and the
    // lagged one replaces it whole. Before them, the tenants' counts were added to a lagged sum
    // that already held them.
    AttributeLag lag = scope.attributeLag();
    if (caller.kind() == Caller.Kind.FUNCTION
        && lag.millis() > 0
        && response instanceof GetQueueAttributesResponse live
        && context.request() instanceof GetQueueAttributesRequest request) {
      Map<String, String> lagged =
          lag.lagged(request.queueUrl(), live.attributesAsStrings(), System.currentTimeMillis());
      response = live.toBuilder().attributesWithStrings(lagged).build();
    }
    return response;
  }
}
