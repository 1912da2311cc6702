package dev.priorityqueues.presign;

import dev.priorityqueues.common.AwsClients;
import dev.priorityqueues.common.Log;
import dev.priorityqueues.common.VideoStore;
import dev.priorityqueues.common.http.HttpApiHandler;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Functions;
import java.time.Clock;
import java.util.Map;

/** HTTP API (JWT) → presigned S3 PUT. A thin adapter: the work is in {@link PresignService}. */
public final class PresignHandler extends HttpApiHandler {

  /** Used by the Lambda runtime. */
  public PresignHandler() {
    this(System.getenv());
  }

  /** Used by the local cloud and tests: every setting comes from {@code env}. */
  public PresignHandler(Map<String, String> env) {
    this(new EnvReader(env), Clock.systemUTC());
  }

  private PresignHandler(EnvReader env, Clock clock) {
    this(service(env, new AwsClients(env), clock), Log.create(Functions.PRESIGN.id(), env, Log.stdout(), clock));
  }

  /** Used by tests that wire the service themselves. */
  public PresignHandler(PresignService service, Log log) {
    super(service, log, "POST", "the upload could not be prepared; try again");
  }

  /** The service for a configuration map, with the given clients and clock. */
  public static PresignService service(EnvReader env, AwsClients clients, Clock clock) {
    PresignConfig config = PresignConfig.from(env);
    return new PresignService(config, clients.presigner(), new VideoStore(clients.dynamoDb(), config.videosTable()),
        new UploadQuotas(clients.dynamoDb(), config.quotasTable(), config.videosTable(), config.maxUploadsInFlight(),
            config.maxBytesPerDay(), config.urlExpiry()),
        clock);
  }
}
