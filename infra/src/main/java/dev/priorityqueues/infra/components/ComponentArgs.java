package dev.priorityqueues.infra.components;

import java.util.Map;
import java.util.Objects;

/**
 * What the arguments of every component share, and the builder they are made with. Each
 * component has a nested {@code Args} (its own fields) and {@code Builder} (its own setters and
 * checks); the tags, and for the components that deploy a function the function and the
 * storage, are defined here once. (Inside a component's {@code Args}, a bare {@code Builder}
 * names the inherited {@link ComponentArgs.Builder}, so {@code Args.builder()} names its own
 * component's builder in full.)
 */
public abstract class ComponentArgs {
  Map<String, String> tags = Map.of();

  /** A builder whose setters return the concrete builder type {@code B}. */
  public abstract static class Builder<A extends ComponentArgs, B extends Builder<A, B>> {
    protected final A args;

    protected Builder(A args) {
      this.args = args;
    }

    /** Tags for every child resource that takes tags. */
    public B tags(Map<String, String> tags) {
      args.tags = Map.copyOf(tags);
      return self();
    }

    /** Checks the arguments and returns them; a component never sees unchecked arguments. */
    public final A build() {
      validate();
      return args;
    }

    /** Throws {@link IllegalArgumentException} or {@link NullPointerException} for unusable arguments. */
    protected abstract void validate();

    @SuppressWarnings("unchecked")
    protected final B self() {
      return (B) this;
    }
  }

  /** The arguments of a component that deploys one of the functions. */
  public abstract static class WithFunction extends ComponentArgs {
    LambdaFunction.Config function;
    Storage storage;
  }

  /** Adds the function and the storage its permissions are scoped to. */
  public abstract static class FunctionBuilder<A extends WithFunction, B extends FunctionBuilder<A, B>>
      extends Builder<A, B> {

    protected FunctionBuilder(A args) {
      super(args);
    }

    /** The function's archive, size, reserved concurrency, environment and log retention. */
    public B function(LambdaFunction.Config function) {
      args.function = function;
      return self();
    }

    /** The bucket and tables; the function's permissions name their exact ARNs. */
    public B storage(Storage storage) {
      args.storage = storage;
      return self();
    }

    @Override
    protected void validate() {
      Objects.requireNonNull(args.function, "function");
      Objects.requireNonNull(args.storage, "storage");
    }
  }
}
