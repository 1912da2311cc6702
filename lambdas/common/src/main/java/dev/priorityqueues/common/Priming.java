package dev.priorityqueues.common;

import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming through {@code org.crac}: before Lambda snapshots an initialised execution
 * environment, run the function's priming work (JSON codecs, SDK request marshalling, one cheap
 * real call) so that code is loaded and initialised in the snapshot rather than on the first
 * request after every restore. Priming never fails the snapshot: errors are logged and ignored.
 *
 * <p>CRaC holds registered resources weakly, so the handler keeps the returned object in a
 * field for as long as it lives.
 */
public final class Priming implements Resource {

  private final Log log;
  private final Runnable work;

  private Priming(Log log, Runnable work) {
    this.log = Objects.requireNonNull(log, "log");
    this.work = Objects.requireNonNull(work, "work");
  }

  /** Registers {@code work} to run before a checkpoint; keep the result referenced. */
  public static Priming register(Log log, Runnable work) {
    Priming priming = new Priming(log, work);
    Core.getGlobalContext().register(priming);
    return priming;
  }

  /** Runs the priming work now; what {@link #beforeCheckpoint} does, callable for tests. */
  public void prime() {
    long start = System.nanoTime();
    try {
      work.run();
      log.info("primed before checkpoint", "millis", (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      log.warn("priming failed; the snapshot is taken without it", e);
    }
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    log.info("restored from snapshot");
  }
}
