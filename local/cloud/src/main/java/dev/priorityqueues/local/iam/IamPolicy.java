package dev.priorityqueues.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An IAM identity policy and its evaluation: an explicit Deny wins, otherwise any matching Allow
 * allows, otherwise the request is implicitly denied. Actions match case-insensitively, resources
 * case-sensitively, both with {@code *} and {@code ?} wildcards. Conditions use the context keys
 * the local cloud supplies; an operator or key it does not know makes the statement not match,
 * which errs on the side of denying.
 */
public final class IamPolicy {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One statement. Null lists mean the element is absent. */
  public record Statement(
      String sid,
      boolean allow,
      List<String> actions,
      List<String> notActions,
      List<String> resources,
      List<String> notResources,
      Map<String, Map<String, List<String>>> conditions) {

    boolean matches(String action, String resource, Map<String, String> context) {
      boolean actionMatches =
          actions != null
              ? actions.stream().anyMatch(a -> wildcard(a, action, true))
              : notActions != null && notActions.stream().noneMatch(a -> wildcard(a, action, true));
      boolean resourceMatches =
          resources != null
              ? resources.stream().anyMatch(r -> wildcard(r, resource, false))
              : notResources != null && notResources.stream().noneMatch(r -> wildcard(r, resource, false));
      return actionMatches && resourceMatches && conditionsHold(context);
    }

    private boolean conditionsHold(Map<String, String> context) {
      for (Map.Entry<String, Map<String, List<String>>> operator : conditions.entrySet()) {
        for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
          String actual = context.get(key.getKey());
          if (actual == null || !condition(operator.getKey(), actual, key.getValue())) {
            return false;
          }
        }
      }
      return true;
    }

    private static boolean condition(String operator, String actual, List<String> expected) {
      return switch (operator) {
        case "StringEquals", "ArnEquals" -> expected.contains(actual);
        case "StringNotEquals", "ArnNotEquals" -> !expected.contains(actual);
        case "StringLike", "ArnLike" -> expected.stream().anyMatch(e -> wildcard(e, actual, false));
        case "StringNotLike", "ArnNotLike" -> expected.stream().noneMatch(e -> wildcard(e, actual, false));
        case "Bool" -> expected.stream().anyMatch(e -> e.equalsIgnoreCase(actual));
        default -> false;
      };
    }
  }

  /** The outcome of an evaluation and the statement that decided it, if any. */
  public record Decision(boolean allowed, String deciding) {}

  private final List<Statement> statements;

  private IamPolicy(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  public List<Statement> statements() {
    return statements;
  }

  public static IamPolicy parse(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode raw = root.get("Statement");
      if (raw == null) {
        throw new IllegalArgumentException("policy has no Statement");
      }
      List<Statement> statements = new ArrayList<>();
      for (JsonNode node : raw.isArray() ? raw : JSON.createArrayNode().add(raw)) {
        String effect = node.path("Effect").asText();
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
          throw new IllegalArgumentException("statement Effect must be Allow or Deny, not '" + effect + "'");
        }
        Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
        node.path("Condition").fields().forEachRemaining(op -> {
          Map<String, List<String>> keys = new LinkedHashMap<>();
          op.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), strings(k.getValue())));
          conditions.put(op.getKey(), keys);
        });
        statements.add(
            new Statement(
                node.path("Sid").asText(null),
                effect.equals("Allow"),
                node.has("Action") ? strings(node.get("Action")) : null,
                node.has("NotAction") ? strings(node.get("NotAction")) : null,
                node.has("Resource") ? strings(node.get("Resource")) : null,
                node.has("NotResource") ? strings(node.get("NotResource")) : null,
                conditions));
      }
      return new IamPolicy(statements);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("policy is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Evaluates a request against several identity policies together, as IAM does for a role. */
  public static Decision evaluate(List<IamPolicy> policies, String action, String resource, Map<String, String> context) {
    String allowedBy = null;
    for (IamPolicy policy : policies) {
      for (Statement statement : policy.statements) {
        if (statement.matches(action, resource, context)) {
          if (!statement.allow()) {
            return new Decision(false, "explicit deny" + (statement.sid() == null ? "" : " in " + statement.sid()));
          }
          if (allowedBy == null) {
            allowedBy = statement.sid() == null ? "an Allow statement" : statement.sid();
          }
        }
      }
    }
    return new Decision(allowedBy != null, allowedBy);
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  static boolean wildcard(String pattern, String value, boolean ignoreCase) {
    Pattern compiled = PATTERNS.computeIfAbsent((ignoreCase ? "i:" : "s:") + pattern, k -> compile(pattern, ignoreCase));
    return compiled.matcher(value).matches();
  }

  private static Pattern compile(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return ignoreCase
        ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
        : Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
