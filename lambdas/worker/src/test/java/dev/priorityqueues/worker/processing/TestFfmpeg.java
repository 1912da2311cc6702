package dev.priorityqueues.worker.processing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same static ffmpeg the layer ships (x86_64), taken from its Maven artifact into target/,
 * and tiny test clips made with it.
 */
public final class TestFfmpeg {
  private TestFfmpeg() {}

  private static final String RESOURCE = "ws/schild/jave/nativebin/ffmpeg-amd64";
  private static Path binary;

  public static synchronized Path binary() {
    if (binary == null) {
      Path target = Path.of("target", "ffmpeg-bin", "ffmpeg").toAbsolutePath();
      try (InputStream in = TestFfmpeg.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is not on the test classpath");
        }
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling("ffmpeg.partial");
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        partial.toFile().setExecutable(true);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      binary = target;
    }
    return binary;
  }

  /** Runs ffmpeg with {@code args}, failing the test on an error. */
  public static void run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "-hide_banner", "-loglevel", "error", "-y"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("ffmpeg " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A clip of {@code seconds} at {@code w}x{@code h} from a lavfi video source, with a 440 Hz tone unless silent. */
  public static Path clip(Path dir, String name, String videoSource, int w, int h, double seconds, boolean audio,
      String... extra) {
    List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
        videoSource + (videoSource.contains("=") ? ":" : "=") + "size=" + w + "x" + h + ":rate=25:duration=" + seconds));
    if (audio) {
      args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:a", "aac"));
    }
    args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    args.addAll(List.of(extra));
    args.add(name);
    run(dir, args.toArray(String[]::new));
    return dir.resolve(name);
  }
}
