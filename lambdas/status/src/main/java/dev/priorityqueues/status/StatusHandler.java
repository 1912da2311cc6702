package dev.priorityqueues.status;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.http.HttpApiHandler;
import dev.priorityqueues.common.http.RequiredScopes;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.Functions;
import java.time.Clock;
import java.util.Map;

/** HTTP API (JWT) → the caller's videos. A thin adapter: the work is in {@link StatusService}. */
public final class StatusHandler extends HttpApiHandler {

  /** Used by the Lambda runtime. */
  public StatusHandler() {
    this(System.getenv());
  }

  /** Used by the local cloud and tests: every setting comes from {@code env}. */
  public StatusHandler(Map<String, String> env) {
    this(new EnvReader(env), Clock.systemUTC());
  }

  private StatusHandler(EnvReader env, Clock clock) {
    this(service(env, new AwsClients(env), clock), Log.create(Functions.STATUS.id(), env, Log.stdout(), clock));
  }

  /** Used by tests that wire the service themselves. */
  public StatusHandler(StatusService service, Log log) {
    super(service, log, "GET", "the status could not be read; try again");
  }

  /** The service for a configuration map, with the given clients and clock. */
  public static StatusService service(EnvReader env, AwsClients clients, Clock clock) {
    return new StatusService(env.require(FunctionEnv.VIDEOS_TABLE), env.require(FunctionEnv.BUCKET),
        RequiredScopes.from(env, "statusJwtScopes"), clients.dynamoDb(), clients.presigner(), clock);
  }
}
