package dev.priorityqueues.infra.config;

import java.util.List;

/**
 * Thrown before any resource is created when one or more config values are invalid. The message
 * lists every problem, each naming its key and the allowed values.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  /** No setting is a secret, and the local cloud cannot decrypt one, so both readers refuse them. */
  static String secretNotAllowed(String key, String where) {
    return key + " is encrypted in " + where + "; no " + ConfigKey.PROJECT + " setting is a secret, so set it in plain text";
  }

  private static String message(List<String> problems) {
    StringBuilder text = new StringBuilder()
        .append(ConfigKey.PROJECT).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " invalid config value" : " invalid config values")
        .append("; nothing was created:");
    problems.forEach(p -> text.append("\n  - ").append(p));
    return text.append("\nSet a value with `pulumi config set <key> <value>`; README.md lists every key.")
        .toString();
  }
}
