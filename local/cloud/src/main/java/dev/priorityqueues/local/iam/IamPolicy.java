package dev.priorityqueues.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An IAM policy (an identity policy, or a resource policy such as a queue or bucket policy) and
 * its evaluation: an explicit Deny wins, otherwise any matching Allow allows, otherwise the
 * request is implicitly denied. Actions match case-insensitively, resources case-sensitively, both
 * with {@code *} and {@code ?} wildcards. Conditions use the context keys the local cloud
 * supplies; as in IAM, a key missing from the context fails a condition, except under a negated
 * operator ({@code StringNotEquals}, {@code ArnNotEquals}, ...), which it satisfies, and an
 * {@code ...IfExists} operator; {@code Null} tests whether the key is there (IAM User Guide,
 * condition operators). An operator it does not know makes the statement not match, which
 * errs on the side of denying for an Allow (and is refused at parse time for a Deny).
 */
public final class IamPolicy {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One statement. Null lists mean the element is absent. */
  public record Statement(
      String sid,
      boolean allow,
      Principal principal,
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
          String op = operator.getKey();
          boolean holds;
          if (op.equals("Null")) {
            holds = key.getValue().contains(actual == null ? "true" : "false");
          } else if (op.endsWith("IfExists")) {
            holds = actual == null || condition(op.substring(0, op.length() - "IfExists".length()), actual, key.getValue());
          } else {
            holds = actual == null ? NEGATED.contains(op) : condition(op, actual, key.getValue());
          }
          if (!holds) {
            return false;
          }
        }
      }
      return true;
    }

    private static boolean condition(String operator, String actual, List<String> expected) {
      return switch (operator) {
        case "StringEquals" -> expected.contains(actual);
        case "StringNotEquals" -> !expected.contains(actual);
        // ArnEquals and ArnLike behave alike: both take wildcards (IAM User Guide, ARN condition operators).
        case "StringLike", "ArnLike", "ArnEquals" -> expected.stream().anyMatch(e -> wildcard(e, actual, false));
        case "StringNotLike", "ArnNotLike", "ArnNotEquals" -> expected.stream().noneMatch(e -> wildcard(e, actual, false));
        case "Bool" -> expected.stream().anyMatch(e -> e.equalsIgnoreCase(actual));
        case "NumericEquals" -> expected.stream().anyMatch(e -> compare(actual, e) == 0);
        case "NumericNotEquals" -> expected.stream().noneMatch(e -> compare(actual, e) == 0);
        case "NumericLessThan" -> expected.stream().anyMatch(e -> compare(actual, e) < 0);
        case "NumericLessThanEquals" -> expected.stream().anyMatch(e -> compare(actual, e) <= 0);
        case "NumericGreaterThan" -> expected.stream().anyMatch(e -> compare(actual, e) > 0);
        case "NumericGreaterThanEquals" -> expected.stream().anyMatch(e -> compare(actual, e) >= 0);
        default -> false;
      };
    }

    private static int compare(String actual, String expected) {
      return new java.math.BigDecimal(actual).compareTo(new java.math.BigDecimal(expected));
    }

    /** Whether a resource policy's statement names the caller: {@code *}, or its role's ARN. */
    boolean names(String principalArn) {
      return principal != null && principal.names(principalArn);
    }
  }

  /** A resource policy statement's Principal: {@code *}, or AWS principals (ARNs), or services. */
  public record Principal(boolean any, List<String> aws, List<String> services) {
    boolean names(String principalArn) {
      return any || aws.contains("*") || aws.contains(principalArn);
    }
  }

  private static final java.util.Set<String> NEGATED = java.util.Set.of(
      "StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NumericNotEquals");

  private static final java.util.Set<String> OPERATORS = java.util.Set.of(
      "StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike",
      "ArnNotLike", "Bool", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
      "NumericGreaterThan", "NumericGreaterThanEquals");

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
          String base = op.getKey().replaceFirst("IfExists$", "");
          if (!effect.equals("Allow") && !OPERATORS.contains(base) && !op.getKey().equals("Null")) {
            // A Deny whose condition could not be evaluated would silently never deny.
            throw new IllegalArgumentException("condition operator " + op.getKey() + " is not emulated");
          }
          Map<String, List<String>> keys = new LinkedHashMap<>();
          op.getValue().fields().forEachRemaining(k -> keys.put(k.getKey(), strings(k.getValue())));
          conditions.put(op.getKey(), keys);
        });
        statements.add(
            new Statement(
                node.path("Sid").asText(null),
                effect.equals("Allow"),
                principal(node.get("Principal")),
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

  private static Principal principal(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return new Principal(node.asText().equals("*"), List.of(), List.of());
    }
    return new Principal(false, node.has("AWS") ? strings(node.get("AWS")) : List.of(),
        node.has("Service") ? strings(node.get("Service")) : List.of());
  }

  /**
   * Evaluates a role's request against its identity policies and the resource's policy, as IAM
   * does within one account: an explicit Deny in either wins; otherwise an Allow in either
   * suffices (IAM User Guide, policy evaluation logic: identity-based and resource-based policies
   * in the same account). A resource policy's statement applies only if its Principal names the
   * caller ({@code *} or the role's ARN).
   */
  public static Decision evaluate(List<IamPolicy> identity, IamPolicy resource, String principalArn,
      String action, String resourceArn, Map<String, String> context) {
    Decision byIdentity = evaluate(identity, action, resourceArn, context);
    if (resource == null) {
      return byIdentity;
    }
    String allowedBy = null;
    for (Statement statement : resource.statements) {
      if (statement.names(principalArn) && statement.matches(action, resourceArn, context)) {
        if (!statement.allow()) {
          return new Decision(false, "explicit deny in the resource policy"
              + (statement.sid() == null ? "" : " (" + statement.sid() + ")"));
        }
        allowedBy = allowedBy == null ? "resource policy" + (statement.sid() == null ? "" : " (" + statement.sid() + ")")
            : allowedBy;
      }
    }
    if (byIdentity.deciding() != null && byIdentity.deciding().startsWith("explicit deny")) {
      return byIdentity;
    }
    return byIdentity.allowed() ? byIdentity : new Decision(allowedBy != null, allowedBy);
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
