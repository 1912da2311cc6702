package dev.priorityqueues.local.sdk;

import software.amazon.awssdk.core.SdkRequest;

/**
 * A check or fault applied to SDK calls made in the local cloud: IAM enforcement and fault
 * injection plug in here, so handler code stays exactly as it runs on AWS.
 */
public interface CallGuard {

  /** Before the request is sent. Throw to make the call fail without reaching the server. */
  default void beforeSend(Caller caller, String service, String operation, SdkRequest request) {}

  /**
   * After the server answered. Throw to make the caller see a failure although the server
   * already did the work (a lost response).
   */
  default void afterResponse(Caller caller, String service, String operation, SdkRequest request) {}
}
