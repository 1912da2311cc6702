package dev.priorityqueues.contract;

/**
 * A value that breaks the contract between the program and the functions: a missing or
 * malformed environment variable, tier table or job message. The message always names the
 * variable or field and what was expected.
 */
public class ContractException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
