package dev.priorityqueues.common.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.priorityqueues.local.servers.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A function archive run the way the Lambda Java runtime runs it: the jar alone in its own class
 * loader (parent: the platform loader, so nothing from the test class path leaks in), the
 * handler built through its {@code (Map)} constructor, the event built from JSON inside that
 * loader by {@code aws-lambda-java-serialization} (chosen as the runtime interface client
 * chooses), and the response serialised the same way.
 * A missing keep rule in the shrunk jar shows up here as a failure.
 */
public final class IsolatedFunction implements AutoCloseable {

  private final URLClassLoader loader;
  private final Object handler;
  private final Method handleRequest;
  private final Class<?> contextType;
  private final PojoSerializer<Object> eventSerializer;

  private IsolatedFunction(Path jar, String handlerClass, Map<String, String> env) throws ReflectiveOperationException, IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist; the package phase builds it");
    }
    this.loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Class<?> type = Class.forName(handlerClass, true, loader);
    this.handler = type.getConstructor(Map.class).newInstance(env);
    this.handleRequest = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(handlerClass + " has no handleRequest(event, Context)"));
    this.contextType = handleRequest.getParameterTypes()[1];
    this.eventSerializer = serializer(handleRequest.getParameterTypes()[0]);
  }

  /** Loads {@code jar} and constructs its handler with {@code env}. */
  public static IsolatedFunction load(Path jar, String handlerClass, Map<String, String> env) {
    try {
      return new IsolatedFunction(jar, handlerClass, env);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the handler's constructor failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot load " + handlerClass + " from " + jar + ": " + e, e);
    }
  }

  /** The class the runtime deserialises events into, as loaded from the jar. */
  public Class<?> eventType() {
    return handleRequest.getParameterTypes()[0];
  }

  public ClassLoader loader() {
    return loader;
  }

  /** Invokes the handler with the event JSON and returns the response JSON. */
  public String invoke(String eventJson, LambdaContext context) {
    Object event = eventSerializer.fromJson(eventJson);
    Object response;
    try {
      response = handleRequest.invoke(handler, event, contextProxy(context));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer(response.getClass()).toJson(response, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The runtime's choice: the event serializers (with their mixins and a Joda module bound to
   * the function's own joda-time) for the event types Lambda knows, plain Jackson otherwise.
   */
  @SuppressWarnings("unchecked")
  private PojoSerializer<Object> serializer(Class<?> type) {
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return LambdaEventSerializers.serializerFor((Class<Object>) type, loader);
    }
    return JacksonFactory.getInstance().getSerializer((Class<Object>) type);
  }

  /** The jar has its own copy of the Context interface; the test's context answers for it. */
  private Object contextProxy(LambdaContext context) {
    InvocationHandler answer = (proxy, method, args) -> switch (method.getName()) {
      case "getAwsRequestId" -> context.getAwsRequestId();
      case "getFunctionName" -> context.getFunctionName();
      case "getFunctionVersion" -> context.getFunctionVersion();
      case "getInvokedFunctionArn" -> context.getInvokedFunctionArn();
      case "getLogGroupName" -> context.getLogGroupName();
      case "getLogStreamName" -> context.getLogStreamName();
      case "getRemainingTimeInMillis" -> context.getRemainingTimeInMillis();
      case "getMemoryLimitInMB" -> context.getMemoryLimitInMB();
      case "toString" -> "Context(" + context.getAwsRequestId() + ")";
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> null;
    };
    return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, answer);
  }

  @Override
  public void close() throws IOException {
    if (handler instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    loader.close();
  }
}
