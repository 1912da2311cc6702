package dev.priorityqueues.local.sdk;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.http.SdkHttpResponse;

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

  /** A URL was presigned for {@code request}: nothing is sent, but the signer is known now. */
  default void presigned(Caller caller, String service, String operation, SdkRequest request) {}

  /**
   * After the server answered. Throw to make the caller see a failure although the server
   * already did the work (a lost response).
   */
  default void afterResponse(Caller caller, String service, String operation, SdkRequest request) {}

  /** An error answer on the wire: status and headers, and the body ({@code null} when there is none). */
  record ErrorAnswer(SdkHttpResponse response, byte[] body) {}

  /**
   * An error answer (status 400 or more) from the server, before the SDK reads it. Return another
   * to answer as the real service would where the local server differs; the SDK then parses it
   * into the exception the caller sees, exactly as it would parse the real service's.
   */
  default ErrorAnswer modifyErrorAnswer(Caller caller, String service, String operation, SdkRequest request,
      ErrorAnswer answer) {
    return answer;
  }
}
