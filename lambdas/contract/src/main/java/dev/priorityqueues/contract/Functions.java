package dev.priorityqueues.contract;

import java.util.List;

/**
 * The functions the program deploys: name, handler and the archive each module builds
 * (lambdas/&lt;name&gt;/target/&lt;name&gt;.jar, relative to the repository root).
 */
public enum Functions {
  PRESIGN("presign", "dev.priorityqueues.presign.PresignHandler"),
  ROUTER("router", "dev.priorityqueues.router.RouterHandler"),
  WORKER("worker", "dev.priorityqueues.worker.WorkerHandler"),
  STATUS("status", "dev.priorityqueues.status.StatusHandler");

  /**
   * How Lambda's Java 17 and 21 runtimes start the JVM: tiered compilation stops at level 1 (C1
   * only). Benchmarks that stand in for a function's JVM start theirs the same way, or C2's
   * compile threads take CPU the function would not spend.
   */
  public static final String LAMBDA_JIT_FLAG = "-XX:TieredStopAtLevel=1";

  private final String id;
  private final String handlerClass;

  Functions(String id, String handlerClass) {
    this.id = id;
    this.handlerClass = handlerClass;
  }

  public String id() {
    return id;
  }

  public String handlerClass() {
    return handlerClass;
  }

  /** The handler string Lambda is configured with. */
  public String handler() {
    return handlerClass + "::handleRequest";
  }

  /** The archive path relative to the repository root. */
  public String archive() {
    return "lambdas/" + id + "/target/" + id + ".jar";
  }

  /** The class file entry that must be inside the archive. */
  public String handlerEntry() {
    return handlerClass.replace('.', '/') + ".class";
  }

  public static List<Functions> all() {
    return List.of(values());
  }
}
