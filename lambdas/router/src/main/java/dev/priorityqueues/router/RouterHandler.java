package dev.priorityqueues.router;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.Metrics;
import dev.priorityqueues.common.Priming;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.joda.time.DateTime;

/**
 * EventBridge (S3's Object Created) → the uploader's tier queue. EventBridge
 * events arrive as {@link ScheduledEvent}, whose {@code detail} is a map. A thin adapter: the work
 * is in {@link RouterService}. Any failure is thrown, so Lambda retries the asynchronous invocation
 * (twice) and then sends the event to the on-failure destination, the events DLQ.
 */
public final class RouterHandler implements RequestHandler<ScheduledEvent, Map<String, String>> {

  /** Lambda's default timeout for this function (routerTimeoutSeconds), for calls without a context. */
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final RouterService service;
  private final Log log;
  private final Metrics metrics;
  @SuppressWarnings("unused") // CRaC holds resources weakly; this field keeps the hook alive.
  private final Priming priming;

  /** Used by the Lambda runtime. */
  public RouterHandler() {
    this(System.getenv());
  }

  /** Used by the local cloud and tests: every setting comes from {@code env}. */
  public RouterHandler(Map<String, String> env) {
    this(new EnvReader(env), Clock.systemUTC());
  }

  private RouterHandler(EnvReader env, Clock clock) {
    this(service(env, new AwsClients(env), clock),
        Log.create(Functions.ROUTER.id(), env, Log.stdout(), clock),
        new Metrics(Functions.ROUTER.id(), Log.stdout(), clock));
  }

  /** Used by tests that wire the service themselves. */
  public RouterHandler(RouterService service, Log log, Metrics metrics) {
    this.service = service;
    this.log = log;
    this.metrics = metrics;
    this.priming = Priming.register(log, () -> {
      service.prime();
      // The runtime parses the event's time with the function's own joda-time on every invoke.
      DateTime.parse("2026-01-01T00:00:00Z");
    });
  }

  /** The service for a configuration map, with the given clients and clock. */
  public static RouterService service(EnvReader env, AwsClients clients, Clock clock) {
    RouterConfig config = RouterConfig.from(env);
    return new RouterService(
        config,
        new VideoStore(clients.dynamoDb(), config.videosTable(), config.privacy().recordRetention()),
        new Subscriptions(clients.dynamoDb(), config.usersTable()),
        clients.sqs(),
        new dev.priorityqueues.common.InputDisposal(clients::s3, config.bucket(), config.privacy().rejectedInputs()),
        clock);
  }

  /** The time this invocation has left; a call without a context gets the default router timeout. */
  private static Duration remaining(Context context) {
    return context == null ? DEFAULT_TIMEOUT : Duration.ofMillis(context.getRemainingTimeInMillis());
  }

  @Override
  public Map<String, String> handleRequest(ScheduledEvent event, Context context) {
    Log requestLog = log.with("requestId", context == null ? null : context.getAwsRequestId());
    Metrics.Recorder counts = metrics.recorder();
    try {
      return service.route(ObjectCreated.from(event), requestLog, counts, remaining(context)).toMap();
    } catch (ContractException e) {
      requestLog.error("event refused", e, "eventId", event == null ? null : event.getId(),
          "detailType", event == null ? null : event.getDetailType());
      throw e;
    } catch (RuntimeException e) {
      requestLog.error("routing failed; Lambda retries the event, then sends it to the events DLQ", e, "eventId", event == null ? null : event.getId());
      throw e;
    } finally {
      counts.flush();
    }
  }
}
