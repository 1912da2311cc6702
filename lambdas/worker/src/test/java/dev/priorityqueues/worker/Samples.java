package dev.priorityqueues.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The small real files under src/test/resources/samples (see the README there). */
public final class Samples {
  private Samples() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
