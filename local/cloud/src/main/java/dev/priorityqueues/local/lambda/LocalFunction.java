package dev.priorityqueues.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.priorityqueues.local.sdk.Caller;
import dev.priorityqueues.local.servers.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Lambda function, run the way the Lambda service runs it: the handler named by its handler
 * string is constructed once per execution environment with the function's environment (through
 * the handler's {@code Map<String,String>} constructor), invocations take a JSON payload and give
 * a JSON response, each environment runs one invocation at a time, concurrency is capped by the
 * reserved concurrency (or the shared unreserved pool), and an invocation past its timeout is
 * abandoned with its environment.
 */
public final class LocalFunction implements AutoCloseable {

  /** What the program declared for this function. */
  public record Spec(
      String name,
      String arn,
      String handler,
      Map<String, String> environment,
      int timeoutSeconds,
      int memoryMb,
      Integer reservedConcurrency,
      boolean snapStart) {
    public Spec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(handler, "handler");
      environment = Map.copyOf(environment);
    }
  }

  /** One execution environment: a constructed handler and the serializers for its types. */
  private record Environment(
      Object handler, Method method, PojoSerializer<Object> input, PojoSerializer<Object> output) {}

  private final Spec spec;
  private final Map<String, String> environment;
  private final Semaphore concurrency;
  private final InvocationFaults faults;
  private final ConcurrentLinkedDeque<Environment> idle = new ConcurrentLinkedDeque<>();
  private final ExecutorService threads;
  private final Class<?> handlerClass;
  private final Method handlerMethod;
  private final AtomicInteger environments = new AtomicInteger();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /**
   * @param overrides variables added to the declared environment (endpoints and credentials of
   *     the local servers); declared values win only for names the overrides do not set
   * @param unreserved the account's unreserved concurrency, used when the function reserves none
   */
  public LocalFunction(Spec spec, Map<String, String> overrides, Semaphore unreserved, InvocationFaults faults) {
    this.spec = Objects.requireNonNull(spec, "spec");
    Map<String, String> env = new HashMap<>(spec.environment());
    env.putAll(overrides);
    env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
    this.environment = Map.copyOf(env);
    this.concurrency =
        spec.reservedConcurrency() != null ? new Semaphore(spec.reservedConcurrency(), true) : unreserved;
    this.faults = Objects.requireNonNull(faults, "faults");
    String[] parts = spec.handler().split("::", 2);
    String className = parts[0];
    String methodName = parts.length == 2 ? parts[1] : "handleRequest";
    try {
      this.handlerClass = Class.forName(className, false, LocalFunction.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "function " + spec.name() + ": handler class " + className + " is not on the local cloud's classpath", e);
    }
    this.handlerMethod = findHandlerMethod(handlerClass, methodName, spec.name());
    this.threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("fn-" + spec.name() + "-", 1).factory());
  }

  public Spec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /** Execution environments created so far (cold starts). */
  public int environments() {
    return environments.get();
  }

  public long invocations() {
    return invocations.get();
  }

  public long errors() {
    return errors.get();
  }

  /**
   * Invokes synchronously: waits for a concurrency slot, then runs the handler on the payload.
   * Errors are returned in the {@link InvocationOutcome}, as Lambda returns them, never thrown.
   */
  public InvocationOutcome invoke(String payload) {
    String requestId = UUID.randomUUID().toString();
    try {
      concurrency.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvocationOutcome.failed(requestId, "Interrupted", "the caller was interrupted while throttled", false, 0, 0);
    }
    invocations.incrementAndGet();
    try {
      InvocationOutcome result = runInEnvironment(requestId, payload);
      if (!result.ok()) {
        errors.incrementAndGet();
      }
      return result;
    } finally {
      concurrency.release();
    }
  }

  private InvocationOutcome runInEnvironment(String requestId, String payload) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
    Environment reused = idle.pollFirst();
    boolean cold = reused == null;
    long[] initNanos = {0};
    AtomicBoolean abandoned = new AtomicBoolean();
    Future<String> future =
        threads.submit(
            () ->
                Caller.function(spec.name())
                    .call(
                        () -> {
                          Environment env = reused;
                          if (env == null) {
                            long initStart = System.nanoTime();
                            env = newEnvironment();
                            initNanos[0] = System.nanoTime() - initStart;
                          }
                          InvocationFaults.Fault fault = faults.decide(spec.name());
                          if (fault == InvocationFaults.Fault.FAIL_BEFORE) {
                            idle.addFirst(env);
                            throw new InjectedFault("injected transient failure before the handler ran");
                          }
                          String response = call(env, requestId, payload, deadline);
                          if (!abandoned.get()) {
                            idle.addFirst(env);
                          }
                          if (fault == InvocationFaults.Fault.CRASH_AFTER) {
                            throw new InjectedFault("injected crash after the handler's side effects");
                          }
                          return response;
                        }));
    try {
      long remaining = deadline - System.nanoTime();
      String response = future.get(Math.max(1, remaining), TimeUnit.NANOSECONDS);
      return new InvocationOutcome(requestId, response, null, null, cold, initNanos[0], System.nanoTime() - start);
    } catch (TimeoutException e) {
      // Lambda stops the environment; here the thread is interrupted and the environment dropped.
      abandoned.set(true);
      future.cancel(true);
      return InvocationOutcome.failed(
          requestId,
          "Sandbox.Timedout",
          "Task timed out after " + spec.timeoutSeconds() + " seconds",
          cold,
          initNanos[0],
          System.nanoTime() - start);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e.getCause());
      return InvocationOutcome.failed(
          requestId,
          cause.getClass().getSimpleName(),
          String.valueOf(cause.getMessage()),
          cold,
          initNanos[0],
          System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandoned.set(true);
      future.cancel(true);
      return InvocationOutcome.failed(requestId, "Interrupted", "interrupted", cold, initNanos[0], System.nanoTime() - start);
    }
  }

  private String call(Environment env, String requestId, String payload, long deadline) throws Exception {
    Object input = env.input().fromJson(payload);
    Context context = new LambdaContext(requestId, spec.name(), spec.arn(), "1", spec.memoryMb(), deadline);
    Object output;
    try {
      output = env.method().invoke(env.handler(), input, context);
    } catch (InvocationTargetException e) {
      throw unwrapToException(e.getCause());
    }
    if (output == null || env.output() == null) {
      return "null";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    env.output().toJson(output, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private Environment newEnvironment() {
    try {
      Constructor<?> constructor = handlerClass.getConstructor(Map.class);
      Object handler = constructor.newInstance(environment);
      if (spec.snapStart()) {
        checkpoint(handler);
      }
      environments.incrementAndGet();
      return new Environment(
          handler,
          handlerMethod,
          serializerFor(handlerMethod.getParameterTypes()[0]),
          handlerMethod.getReturnType() == void.class ? null : serializerFor(handlerMethod.getReturnType()));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          handlerClass.getName() + " has no public constructor taking the function's environment (Map<String,String>)", e);
    } catch (InvocationTargetException e) {
      throw new InitError("init of " + spec.name() + " failed: " + unwrap(e.getCause()).getMessage(), unwrap(e.getCause()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + handlerClass.getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * SnapStart: after init, Lambda runs the CRaC resources the function registered, then takes
   * the snapshot. Locally every new environment goes through the same hook, so priming code runs
   * (and its calls are checked by IAM) exactly as it would before a real snapshot.
   */
  private static void checkpoint(Object handler) throws ReflectiveOperationException {
    for (Class<?> type = handler.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
      for (java.lang.reflect.Field field : type.getDeclaredFields()) {
        if (org.crac.Resource.class.isAssignableFrom(field.getType()) && !java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          org.crac.Resource resource = (org.crac.Resource) field.get(handler);
          if (resource != null) {
            try {
              resource.beforeCheckpoint(null);
              resource.afterRestore(null);
            } catch (Exception e) {
              throw new IllegalStateException("SnapStart checkpoint hook failed: " + e.getMessage(), e);
            }
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static PojoSerializer<Object> serializerFor(Class<?> type) {
    ClassLoader loader = type.getClassLoader() == null ? LocalFunction.class.getClassLoader() : type.getClassLoader();
    if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
      return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
    }
    return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
  }

  private static Method findHandlerMethod(Class<?> type, String name, String function) {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name)
          && !method.isBridge()
          && !method.isSynthetic()
          && method.getParameterCount() == 2
          && method.getParameterTypes()[1] == Context.class) {
        return method;
      }
    }
    throw new IllegalStateException(
        "function " + function + ": " + type.getName() + " has no method " + name + "(<event>, Context)");
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof InvocationTargetException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Exception unwrapToException(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof Exception e) {
      return e;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new RuntimeException(cause);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** Raised by the runtime for a fault it injected, so reports can tell it from a real error. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String message) {
      super(message);
    }
  }

  /** The handler's constructor threw: Lambda reports Runtime.InitError. */
  public static final class InitError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InitError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
