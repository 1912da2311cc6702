package dev.priorityqueues.status;

/** A request the API refuses: the HTTP status, a stable code and a sentence for the client. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "invalid_request", message);
  }

  /** Someone else's video and a video that does not exist answer alike, so ids leak nothing. */
  static ApiError notFound(String videoId) {
    return new ApiError(404, "not_found", "there is no video '" + videoId + "' among your uploads");
  }
}
