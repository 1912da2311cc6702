package dev.priorityqueues.status;

import java.util.Map;

/** A JSON response: status, extra headers, and the body as a JSON object. */
record HttpReply(int status, Map<String, String> headers, Map<String, Object> body) {

  static HttpReply of(int status, Map<String, Object> body) {
    return new HttpReply(status, Map.of(), body);
  }
}
