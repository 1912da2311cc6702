package dev.priorityqueues.local.sdk;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * A hook on every SDK call made in the local cloud: IAM enforcement, fault injection and the
 * emulation of SQS fair queues plug in here, so handler code stays exactly as it runs on AWS.
 */
public interface CallHook {

  /** Rewrites the request before it is signed and sent (for example, to another queue URL). */
  default SdkRequest modifyRequest(Caller caller, String service, String operation, SdkRequest request) {
    return request;
  }

  /** Rewrites the response before the caller sees it. {@code request} is the request as sent. */
  default SdkResponse modifyResponse(
      Caller caller, String service, String operation, SdkRequest request, SdkResponse response) {
    return response;
  }

  /** Before the request is sent. Throw to make the call fail without reaching the server. */
  default void beforeSend(Caller caller, String service, String operation, SdkRequest request) {}

  /**
   * After the server answered. Throw to make the caller see a failure although the server
   * already did the work (a lost response).
   */
  default void afterResponse(Caller caller, String service, String operation, SdkRequest request) {}
}
