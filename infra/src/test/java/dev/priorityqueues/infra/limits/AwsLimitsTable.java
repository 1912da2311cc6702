package dev.priorityqueues.infra.limits;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.pulumi.asset.AssetOrArchive;
import com.pulumi.asset.FileArchive;
import dev.priorityqueues.infra.JsonSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rows of {@code limits/aws-limits.md}: one AWS API limit each, with its citation. */
final class AwsLimitsTable {
  private AwsLimitsTable() {}

  static final String RESOURCE = "/limits/aws-limits.md";

  record Row(String type, String path, String bound, String citation) {
    Pattern pathPattern() {
      return AwsLimitsTable.pathPattern(path);
    }

    Pattern valuePattern() {
      return AwsLimitsTable.compiled(bound.substring(bound.indexOf(':') + 1));
    }

    /** Counts apply to lists and maps, every other bound to single values and map keys. */
    boolean appliesTo(ResourceInputs.Kind kind) {
      boolean whole = bound.startsWith("count:") || bound.startsWith("jsonbytes:");
      return whole == (kind == ResourceInputs.Kind.CONTAINER);
    }

    /** Null when {@code value} keeps within the bound, else what is wrong. */
    String violation(Object value) {
      int colon = bound.indexOf(':');
      String kind = bound.substring(0, colon);
      String arg = bound.substring(colon + 1);
      return switch (kind) {
        case "range" -> value instanceof Number n ? within(n.doubleValue(), arg, "") : "not a number";
        case "length" -> value instanceof String s ? within(s.length(), arg, " characters") : "not text";
        case "bytes" -> value instanceof String s ? within(s.getBytes(UTF_8).length, arg, " bytes") : "not text";
        case "count" -> value instanceof List<?> l ? within(l.size(), arg, " items")
            : value instanceof Map<?, ?> m ? within(m.size(), arg, " entries") : "not a list or map";
        case "pattern" -> value instanceof String s
            ? (valuePattern().matcher(s).matches() ? null : "does not match " + arg) : "not text";
        case "enum" -> Arrays.asList(arg.split(",")).contains(text(value)) ? null : "not one of " + arg;
        case "period" -> value instanceof Number n && period(n.doubleValue()) ? null
            : "not 10, 20, 30 or a multiple of 60";
        case "jsonbytes" -> value instanceof Map<?, ?> m
            ? within(JsonSupport.write(m).getBytes(UTF_8).length, arg, " bytes of JSON") : "not a map";
        case "archive" -> value instanceof FileArchive a ? within(archiveBytes(a), arg, " bytes") : "not a file archive";
        default -> throw new IllegalStateException("unknown bound " + bound + " in " + RESOURCE);
      };
    }
  }

  static List<Row> load() {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = AwsLimitsTable.class.getResourceAsStream(RESOURCE)) {
      for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
        if (!line.startsWith("| aws:")) {
          continue;
        }
        // Cells are separated by | ; a \| inside a cell is a literal |.
        String[] cells = line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|");
        if (cells.length != 4) {
          throw new IllegalStateException(RESOURCE + ": a row needs 4 cells: " + line);
        }
        String[] c = Arrays.stream(cells).map(s -> s.trim().replace("\\|", "|")).toArray(String[]::new);
        if (c[3].isEmpty()) {
          throw new IllegalStateException(RESOURCE + ": a row without a citation: " + line);
        }
        rows.add(new Row(c[0], c[1], c[2], c[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  static Pattern compiled(String regex) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }

  /** {@code **} is anything, {@code *} one map key; everything else is literal. */
  static Pattern pathPattern(String path) {
    return PATTERNS.computeIfAbsent("path:" + path, p -> globToRegex(path));
  }

  private static Pattern globToRegex(String path) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      if (path.startsWith("**", i)) {
        regex.append(".*");
        i++;
      } else if (path.charAt(i) == '*') {
        regex.append("[^./\\[\\]{}]+");
      } else {
        regex.append(Pattern.quote(String.valueOf(path.charAt(i))));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static String within(double value, String range, String unit) {
    String[] ends = range.split("\\.\\.", -1);
    double min = ends[0].isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(ends[0]);
    double max = ends[1].isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(ends[1]);
    return value >= min && value <= max ? null : text(value) + unit + " is outside " + range;
  }

  private static boolean period(double seconds) {
    return seconds == 10 || seconds == 20 || seconds == 30 || (seconds > 0 && seconds % 60 == 0);
  }

  private static String text(Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Long.toString(n.longValue());
    }
    return String.valueOf(value);
  }

  private static long archiveBytes(FileArchive archive) {
    Object path = AssetOrArchive.AssetOrArchiveInternal.from(archive).getValue();
    try {
      return Files.size(Path.of(path.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
