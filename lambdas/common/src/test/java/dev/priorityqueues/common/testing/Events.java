package dev.priorityqueues.common.testing;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Event JSON to event objects and back, with the serializers the Lambda Java runtime itself uses
 * ({@code aws-lambda-java-serialization}), so a test sees exactly what a deployed handler sees.
 */
public final class Events {
  private Events() {}

  public static <T> T fromJson(String json, Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, type.getClassLoader()).fromJson(json);
  }

  @SuppressWarnings("unchecked")
  public static String toJson(Object value) {
    Class<Object> type = (Class<Object>) value.getClass();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LambdaEventSerializers.serializerFor(type, type.getClassLoader()).toJson(value, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
