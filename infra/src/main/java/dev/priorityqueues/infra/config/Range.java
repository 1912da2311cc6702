package dev.priorityqueues.infra.config;

/** An inclusive range of whole numbers, with the unit used in error messages. */
public record Range(long min, long max, String unit) {

  public Range {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
  }

  public boolean contains(long value) {
    return value >= min && value <= max;
  }

  /** "from 2 to 1000" or "from 1 to 900 seconds". */
  public String describe() {
    return "from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit);
  }

  /** For component arguments: a programming error, not a config error. */
  public int check(String what, int value) {
    if (!contains(value)) {
      throw new IllegalArgumentException(what + " must be " + describe() + ", not " + value);
    }
    return value;
  }
}
