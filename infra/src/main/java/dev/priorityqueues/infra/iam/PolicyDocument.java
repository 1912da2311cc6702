package dev.priorityqueues.infra.iam;

import com.pulumi.core.Output;
import dev.priorityqueues.infra.JsonSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An IAM policy document built from {@link Statement}s and written with Jackson. */
public final class PolicyDocument {
  public static final String VERSION = "2012-10-17";

  private PolicyDocument() {}

  /** The document as JSON, once every resource and condition value is known. */
  public static Output<String> of(List<Statement> statements) {
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("a policy document needs at least one statement");
    }
    return Output.all(statements.stream().map(Statement::toMap).toList())
        .applyValue(PolicyDocument::write);
  }

  public static Output<String> of(Statement... statements) {
    return of(List.of(statements));
  }

  /** The trust policy that lets one AWS service assume a role. */
  public static Output<String> assumeRole(String service) {
    return of(Statement.allow("AssumeRole").servicePrincipal(service).actions("sts:AssumeRole").build());
  }

  private static String write(List<Map<String, Object>> statements) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Version", VERSION);
    document.put("Statement", statements);
    return JsonSupport.write(document);
  }
}
