package dev.priorityqueues.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.priorityqueues.contract.Functions;
import dev.priorityqueues.contract.Json;
import dev.priorityqueues.local.servers.LambdaContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shrunk archive of a function behind the HTTP API, run the way the Lambda Java runtime runs
 * it ({@link IsolatedFunction}) on a private {@link TestStack}. Each such function's {@code *IT}
 * extends it, names its fixture event (in {@code src/test/resources/events}) and adds its own
 * cases; the checks every one of them owes are here: the size budget, the event type, and the
 * 401 for a request without a verified subject.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpApiArchiveTest {

  /** Lambda's limit is 50 MB zipped; the project's budget for a function jar is 8 MB. */
  public static final long SIZE_BUDGET_BYTES = 8L * 1024 * 1024;
  private static final String SUBJECT_CLAIM = "\"sub\": \"0f8fad5b-d9cb-469f-a165-70867728950e\",";

  private final Functions fn;
  private final String fixture;
  protected TestStack stack;
  protected IsolatedFunction function;

  protected HttpApiArchiveTest(Functions fn, String fixture) {
    this.fn = Objects.requireNonNull(fn, "fn");
    this.fixture = Objects.requireNonNull(fixture, "fixture");
  }

  /** The stack's settings; a function adds the environment it needs beyond {@link TestStack}'s. */
  protected TestStack.Builder stack(TestStack.Builder builder) {
    return builder;
  }

  @BeforeAll
  final void load() {
    stack = stack(TestStack.builder(fn.id() + "-it")).build();
    function = IsolatedFunction.load(jar(), fn.handlerClass(), stack.env());
  }

  @AfterAll
  final void close() throws Exception {
    function.close();
  }

  private Path jar() {
    return Path.of("target", fn.id() + ".jar");
  }

  /** The fixture event, as API Gateway sends it. */
  protected final String fixture() {
    try {
      return Files.readString(Path.of("src/test/resources/events", fixture));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The archive's answer to {@code event} (JSON), as the runtime serialises it. */
  protected final Map<String, Object> invoke(String event) throws Exception {
    return Json.parseObject("response", function.invoke(event, LambdaContext.of(fn.id())));
  }

  /** The JSON body of a response {@link #invoke} returned. */
  protected static Map<String, Object> body(Map<String, Object> response) {
    return Json.parseObject("body", (String) response.get("body"));
  }

  @Test
  void theArchiveIsWithinTheSizeBudget() throws Exception {
    assertThat(Files.size(jar())).isLessThanOrEqualTo(SIZE_BUDGET_BYTES);
    assertThat(function.eventType().getName()).isEqualTo("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
    assertThat(function.eventType().getClassLoader()).isSameAs(function.loader());
  }

  @Test
  void refusesARequestWithoutIdentity() throws Exception {
    assertThat(fixture()).contains(SUBJECT_CLAIM);
    Map<String, Object> response = invoke(fixture().replace(SUBJECT_CLAIM, ""));
    assertThat(response).containsEntry("statusCode", 401);
    assertThat(body(response))
        .containsEntry("error", "unauthorized")
        .containsEntry("message", "the request carries no verified identity (JWT claim 'sub')");
  }
}
