package dev.priorityqueues.common;

import java.time.Instant;

/** The record presign writes before handing out an upload URL. */
public record NewUpload(
    String videoKey,
    String userId,
    String fileName,
    String contentType,
    long declaredBytes,
    Instant createdAt,
    Instant expiresAt) {}
