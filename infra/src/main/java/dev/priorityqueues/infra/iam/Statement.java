package dev.priorityqueues.infra.iam;

import com.pulumi.core.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One IAM policy statement whose resources and condition values may be outputs. The rules of
 * least privilege are checked when a statement is built, so a broad grant cannot be written:
 *
 * <ul>
 *   <li>an Allow never names a wildcard action ({@code *} or {@code service:*});
 *   <li>the resource {@code *} is allowed only for X-Ray's write actions, which have no
 *       resource-level permissions;
 *   <li>the principal {@code *} is allowed only in a Deny.
 * </ul>
 *
 * Deny statements may use a service-wide action such as {@code sqs:*}: denying a narrower list
 * would leave every unlisted action open, which is the opposite of what a guard rail is for.
 */
public final class Statement {

  /** X-Ray's only actions a function needs; AWS offers no resource-level permissions for them. */
  public static final List<String> XRAY_WRITE_ACTIONS = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");

  public enum Effect { Allow, Deny }

  /** One condition key's values: one is written as a string, several as a list (any of them). */
  private record Condition(String operator, String key, List<Output<String>> values) {}

  private final String sid;
  private final Effect effect;
  private final Object principal;
  private final List<String> actions;
  private final List<Output<String>> resources;
  private final List<Condition> conditions;

  private Statement(Builder b) {
    this.sid = b.sid;
    this.effect = b.effect;
    this.principal = b.principal;
    this.actions = List.copyOf(b.actions);
    this.resources = List.copyOf(b.resources);
    this.conditions = List.copyOf(b.conditions);
  }

  public static Builder allow(String sid) {
    return new Builder(sid, Effect.Allow);
  }

  public static Builder deny(String sid) {
    return new Builder(sid, Effect.Deny);
  }

  /**
   * Denies every action of {@code service} on the resources to anyone who is not using TLS
   * (Security Hub S3.5; the same guard for SQS).
   */
  public static Statement denyInsecureTransport(String service, List<Output<String>> resources) {
    return deny("DenyInsecureTransport")
        .anyPrincipal()
        .actions(service + ":*")
        .resources(resources)
        .condition("Bool", "aws:SecureTransport", Output.of("false"))
        .build();
  }

  /** The statement as JSON-ready maps, once its outputs are known. */
  Output<Map<String, Object>> toMap() {
    List<Output<String>> values = new ArrayList<>(resources);
    conditions.forEach(c -> values.addAll(c.values()));
    if (values.isEmpty()) {
      return Output.of(render(List.of()));
    }
    return Output.all(values).applyValue(this::render);
  }

  private Map<String, Object> render(List<String> values) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Sid", sid);
    statement.put("Effect", effect.name());
    if (principal != null) {
      statement.put("Principal", principal);
    }
    statement.put("Action", actions);
    if (!resources.isEmpty()) {
      statement.put("Resource", values.subList(0, resources.size()));
    }
    if (!conditions.isEmpty()) {
      Map<String, Map<String, Object>> condition = new LinkedHashMap<>();
      int next = resources.size();
      for (Condition c : conditions) {
        List<String> these = values.subList(next, next + c.values().size());
        next += c.values().size();
        condition.computeIfAbsent(c.operator(), k -> new LinkedHashMap<>())
            .put(c.key(), these.size() == 1 ? these.get(0) : List.copyOf(these));
      }
      statement.put("Condition", condition);
    }
    return statement;
  }

  public static final class Builder {
    private final String sid;
    private final Effect effect;
    private Object principal;
    private final List<String> actions = new ArrayList<>();
    private final List<Output<String>> resources = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();
    private boolean anyResource;

    private Builder(String sid, Effect effect) {
      if (sid == null || !sid.matches("[A-Za-z0-9]+")) {
        throw new IllegalArgumentException("a statement id is alphanumeric, not '" + sid + "'");
      }
      this.sid = sid;
      this.effect = effect;
    }

    public Builder actions(String... actions) {
      this.actions.addAll(List.of(actions));
      return this;
    }

    public Builder actions(List<String> actions) {
      this.actions.addAll(actions);
      return this;
    }

    public Builder resources(List<Output<String>> resources) {
      this.resources.addAll(resources);
      return this;
    }

    @SafeVarargs
    public final Builder resources(Output<String>... resources) {
      return resources(Arrays.stream(resources).toList());
    }

    /** Resource {@code *}: only for {@link #XRAY_WRITE_ACTIONS}. */
    public Builder anyResource() {
      this.anyResource = true;
      this.resources.add(Output.of("*"));
      return this;
    }

    /** An AWS service principal such as {@code events.amazonaws.com}. */
    public Builder servicePrincipal(String service) {
      this.principal = Map.of("Service", service);
      return this;
    }

    /** Principal {@code *}: only in a Deny. */
    public Builder anyPrincipal() {
      this.principal = "*";
      return this;
    }

    public Builder condition(String operator, String key, Output<String> value) {
      conditions.add(new Condition(operator, key, List.of(Objects.requireNonNull(value, key))));
      return this;
    }

    /** A condition met by any of {@code values} (for a negated operator: by none of them). */
    public Builder condition(String operator, String key, List<Output<String>> values) {
      if (values.isEmpty()) {
        throw new IllegalArgumentException(sid + ": condition " + key + " needs at least one value");
      }
      conditions.add(new Condition(operator, key, List.copyOf(values)));
      return this;
    }

    public Statement build() {
      if (actions.isEmpty()) {
        throw new IllegalArgumentException(sid + ": a statement needs at least one action");
      }
      if (resources.isEmpty() && principal == null) {
        throw new IllegalArgumentException(sid + ": an identity policy statement needs resources");
      }
      if (effect == Effect.Allow) {
        actions.stream().filter(a -> a.contains("*")).findFirst()
            .ifPresent(a -> {
              throw new IllegalArgumentException(sid + ": an Allow must name its actions, not '" + a + "'");
            });
        if ("*".equals(principal)) {
          throw new IllegalArgumentException(sid + ": an Allow must name its principal, not '*'");
        }
        if (anyResource && !XRAY_WRITE_ACTIONS.containsAll(actions)) {
          throw new IllegalArgumentException(
              sid + ": resource '*' is allowed only for " + XRAY_WRITE_ACTIONS + ", not " + actions);
        }
      }
      return new Statement(this);
    }
  }
}
