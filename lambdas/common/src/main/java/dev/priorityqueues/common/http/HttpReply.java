package dev.priorityqueues.common.http;

import java.util.Map;

/** A JSON response: status, extra headers, and the body as a JSON object. */
public record HttpReply(int status, Map<String, String> headers, Map<String, Object> body) {

  public static HttpReply of(int status, Map<String, Object> body) {
    return new HttpReply(status, Map.of(), body);
  }
}
