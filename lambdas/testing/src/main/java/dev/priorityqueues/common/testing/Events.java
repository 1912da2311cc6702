package dev.priorityqueues.common.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Event JSON to event objects and back, with the serializers the Lambda Java runtime itself uses
 * ({@code aws-lambda-java-serialization}), so a test sees exactly what a deployed handler sees.
 */
public final class Events {
  private Events() {}

  public static <T> T fromJson(String json, Class<T> type) {
    return serializer(type).fromJson(json);
  }

  @SuppressWarnings("unchecked")
  public static String toJson(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer((Class<Object>) value.getClass()).toJson(value, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The runtime interface client's choice of serializer for a type. */
  static <T> PojoSerializer<T> serializer(Class<T> type) {
    return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
        ? LambdaEventSerializers.serializerFor(type, type.getClassLoader())
        : JacksonFactory.getInstance().getSerializer(type);
  }
}
