package dev.priorityqueues.local.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/**
 * Registered through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), so every client built
 * in a JVM that has the local cloud on its classpath passes through it — handlers included,
 * without a line of handler code knowing. It counts calls ({@link ApiCalls}), applies the SQS
 * attribute lag ({@link AttributeLag}) and runs the registered {@link CallGuard}s.
 */
public final class LocalCloudInterceptor implements ExecutionInterceptor {

  private static final List<CallGuard> GUARDS = new CopyOnWriteArrayList<>();

  public static void addGuard(CallGuard guard) {
    GUARDS.add(guard);
  }

  public static void removeGuard(CallGuard guard) {
    GUARDS.remove(guard);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    Caller caller = Caller.current();
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    ApiCalls.record(caller, service, operation);
    for (CallGuard guard : GUARDS) {
      guard.beforeSend(caller, service, operation, context.request());
    }
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
    Caller caller = Caller.current();
    SdkResponse response = context.response();
    if (caller.kind() == Caller.Kind.FUNCTION
        && AttributeLag.millis() > 0
        && response instanceof GetQueueAttributesResponse live
        && context.request() instanceof GetQueueAttributesRequest request) {
      Map<String, String> lagged =
          AttributeLag.lagged(request.queueUrl(), live.attributesAsStrings(), System.currentTimeMillis());
      response = live.toBuilder().attributesWithStrings(lagged).build();
    }
    if (!GUARDS.isEmpty()) {
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      SdkRequest request = context.request();
      for (CallGuard guard : GUARDS) {
        guard.afterResponse(caller, service, operation, request);
      }
    }
    return response;
  }
}
