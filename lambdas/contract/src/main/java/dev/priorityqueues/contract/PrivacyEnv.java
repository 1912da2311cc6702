package dev.priorityqueues.contract;

import java.time.Duration;

/**
 * {@link FunctionEnv#PRIVACY}: the privacy settings every function gets, in one variable because
 * the worker's environment is close to Lambda's 4 KB (the tier table fills it):
 * {@code <recordRetentionDays>,<rejectedInputs>,<logUserIds>}, e.g. {@code 90,delete,hashed}.
 */
public record PrivacyEnv(int recordRetentionDays, RejectedInputs rejectedInputs, UserPseudonyms.Mode logUserIds) {

  public PrivacyEnv {
    if (recordRetentionDays < 1 || recordRetentionDays > Retention.MAX_DAYS) {
      throw new ContractException(FunctionEnv.PRIVACY + "'s record retention must be from 1 to " + Retention.MAX_DAYS
          + " days, not " + recordRetentionDays);
    }
    java.util.Objects.requireNonNull(rejectedInputs, "rejectedInputs");
    java.util.Objects.requireNonNull(logUserIds, "logUserIds");
  }

  /** The program's defaults: {@code 90,delete,hashed}. */
  public static final PrivacyEnv DEFAULT =
      new PrivacyEnv(Retention.DEFAULT_RECORD_DAYS, RejectedInputs.DEFAULT, UserPseudonyms.Mode.DEFAULT);

  public Duration recordRetention() {
    return Duration.ofDays(recordRetentionDays);
  }

  /** The variable's value. */
  public String text() {
    return recordRetentionDays + "," + rejectedInputs.id() + "," + logUserIds.id();
  }

  /** The variable, which the program always sets: the router and worker refuse to start without it. */
  public static PrivacyEnv fromEnv(EnvReader env) {
    return parse(env.require(FunctionEnv.PRIVACY));
  }

  /** How the logs write user ids: hashed unless the variable says plain (unset is the safe side). */
  public static UserPseudonyms.Mode logUserIds(EnvReader env) {
    return env.optional(FunctionEnv.PRIVACY).map(text -> parse(text).logUserIds()).orElse(UserPseudonyms.Mode.DEFAULT);
  }

  public static PrivacyEnv parse(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new ContractException(FunctionEnv.PRIVACY + " must be <recordRetentionDays>,<" + String.join("|",
          RejectedInputs.ids()) + ">,<" + String.join("|", UserPseudonyms.Mode.ids()) + ">, e.g. " + DEFAULT.text()
          + ", not '" + text + "'");
    }
    int days;
    try {
      days = Integer.parseInt(parts[0].trim());
    } catch (NumberFormatException e) {
      throw new ContractException(FunctionEnv.PRIVACY + "'s record retention must be a whole number of days from 1 to "
          + Retention.MAX_DAYS + ", not '" + parts[0] + "'");
    }
    return new PrivacyEnv(days, RejectedInputs.parse(FunctionEnv.PRIVACY + "'s rejected inputs", parts[1].trim()),
        UserPseudonyms.Mode.parse(FunctionEnv.PRIVACY + "'s log user ids", parts[2].trim()));
  }
}
