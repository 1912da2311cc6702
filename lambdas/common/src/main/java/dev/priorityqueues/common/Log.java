package dev.priorityqueues.common;

import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.contract.UserPseudonyms;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs
 * as is. Every line has {@code timestamp}, {@code level}, {@code message} and {@code function},
 * then the context this logger carries ({@code requestId}, {@code videoKey}, {@code tier}, ...),
 * then the line's own fields.
 *
 * <p>A {@code Log} is immutable: {@link #with} returns a logger with one more context field, so
 * an invocation derives {@code log.with("requestId", id)} and a job derives
 * {@code .with("videoKey", key).with("tier", tier)} without any thread-local state.
 */
public final class Log {

  public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    /** Lambda's log level names; anything unknown is INFO. */
    static Level parse(String value) {
      if (value == null) {
        return INFO;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return INFO;
      }
    }
  }

  /** Stack frames kept per error: enough to find the line, short enough to read. */
  private static final int STACK_FRAMES = 12;

  /** The field that holds a user id; with hashed user ids its value is the user's pseudonym. */
  public static final String USER_ID = "userId";

  private final Consumer<String> sink;
  private final Level threshold;
  private final Clock clock;
  private final Map<String, Object> context;
  /** Null: user ids are written as they are ({@code logUserIds: plain}). */
  private final UserPseudonyms pseudonyms;

  private Log(Consumer<String> sink, Level threshold, Clock clock, Map<String, Object> context,
      UserPseudonyms pseudonyms) {
    this.sink = sink;
    this.threshold = threshold;
    this.clock = clock;
    this.context = context;
    this.pseudonyms = pseudonyms;
  }

  /**
   * The root logger of a function, at the level {@code AWS_LAMBDA_LOG_LEVEL} names, writing user
   * ids as {@code PQ_PRIVACY} says: pseudonyms keyed by the stack's videos table unless
   * {@code plain}.
   */
  public static Log create(String function, EnvReader env, Consumer<String> sink, Clock clock) {
    Log log = create(function, Level.parse(env.optional(FunctionEnv.AWS_LAMBDA_LOG_LEVEL).orElse(null)), sink, clock);
    return dev.priorityqueues.contract.PrivacyEnv.logUserIds(env) == UserPseudonyms.Mode.PLAIN
        ? log
        : log.hashingUserIds(new UserPseudonyms(env.optional(FunctionEnv.VIDEOS_TABLE).orElse("")));
  }

  /** A logger that writes user ids as they are: for tests and tools, whose lines stay local. */
  public static Log create(String function, Level threshold, Consumer<String> sink, Clock clock) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("function", Objects.requireNonNull(function, "function"));
    return new Log(
        Objects.requireNonNull(sink, "sink"),
        Objects.requireNonNull(threshold, "threshold"),
        Objects.requireNonNull(clock, "clock"),
        Collections.unmodifiableMap(context),
        null);
  }

  /**
   * This logger, writing every user id as its pseudonym: a {@code userId} field, and the folder
   * of any object key in any value (messages, reasons, errors, stack traces), which spells the id.
   */
  public Log hashingUserIds(UserPseudonyms pseudonyms) {
    return new Log(sink, threshold, clock, context, Objects.requireNonNull(pseudonyms, "pseudonyms"));
  }

  /** Stdout, one line per call; {@code println} is synchronized, so lines never interleave. */
  public static Consumer<String> stdout() {
    return line -> System.out.println(line);
  }

  /** A logger that also carries {@code key}; a null value removes the key. */
  public Log with(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(context);
    if (value == null) {
      next.remove(key);
    } else {
      next.put(key, value);
    }
    return new Log(sink, threshold, clock, Collections.unmodifiableMap(next), pseudonyms);
  }

  public boolean enabled(Level level) {
    return level.compareTo(threshold) >= 0;
  }

  public void debug(String message, Object... fields) {
    write(Level.DEBUG, message, null, fields);
  }

  public void info(String message, Object... fields) {
    write(Level.INFO, message, null, fields);
  }

  public void warn(String message, Object... fields) {
    write(Level.WARN, message, null, fields);
  }

  public void warn(String message, Throwable error, Object... fields) {
    write(Level.WARN, message, error, fields);
  }

  public void error(String message, Throwable error, Object... fields) {
    write(Level.ERROR, message, error, fields);
  }

  private void write(Level level, String message, Throwable error, Object[] fields) {
    if (!enabled(level)) {
      return;
    }
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("log fields come in key/value pairs: " + fields.length + " values given");
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", level.name());
    line.put("message", message);
    line.putAll(context);
    for (int i = 0; i < fields.length; i += 2) {
      Object value = fields[i + 1];
      if (value != null) {
        line.put(String.valueOf(fields[i]), plain(value));
      }
    }
    if (error != null) {
      line.put("errorType", error.getClass().getName());
      line.put("errorMessage", String.valueOf(error.getMessage()));
      line.put("stackTrace", stack(error));
    }
    if (pseudonyms == null) {
      sink.accept(Json.write(line));
      return;
    }
    if (line.get(USER_ID) instanceof String userId) {
      line.put(USER_ID, pseudonyms.of(userId));
    }
    // Key folders need no JSON escaping, so they read the same in the written line.
    sink.accept(pseudonyms.inKeys(Json.write(line)));
  }

  /** JSON has strings, numbers and booleans; anything else is written as its string form. */
  private static Object plain(Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
      return value;
    }
    return value.toString();
  }

  private static String stack(Throwable error) {
    StringBuilder out = new StringBuilder();
    StackTraceElement[] frames = error.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, STACK_FRAMES); i++) {
      if (i > 0) {
        out.append(" | ");
      }
      out.append(frames[i]);
    }
    Throwable cause = error.getCause();
    if (cause != null && cause != error) {
      out.append(" | caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
    }
    return out.toString();
  }
}
