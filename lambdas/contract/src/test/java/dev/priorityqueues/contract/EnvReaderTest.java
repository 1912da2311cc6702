package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReaderTest {

  private final EnvReader env =
      new EnvReader(Map.of("N", "12", "BAD", "twelve", "B", "TRUE", "L", " a, ,b ", "BLANK", "  "));

  @Test
  void readsValuesAndDefaults() {
    assertThat(env.intValue("N", 1, 0, 100)).isEqualTo(12);
    assertThat(env.intValue("MISSING", 7, 0, 100)).isEqualTo(7);
    assertThat(env.booleanValue("B", false)).isTrue();
    assertThat(env.list("L")).containsExactly("a", "b");
    assertThat(env.optional("BLANK")).isEmpty();
  }

  @Test
  void namesTheVariableInEveryError() {
    assertThatThrownBy(() -> env.require("PQ_BUCKET")).hasMessage("PQ_BUCKET is not set; the Pulumi program sets it");
    assertThatThrownBy(() -> env.intValue("BAD", 1, 0, 100))
        .hasMessage("BAD must be a whole number from 0 to 100, not 'twelve'");
    assertThatThrownBy(() -> env.intValue("N", 1, 0, 10)).hasMessage("N must be from 0 to 10, not 12");
    assertThatThrownBy(() -> env.booleanValue("N", true)).hasMessage("N must be true or false, not '12'");
  }

  @Test
  void aRequiredNumberHasNoDefault() {
    assertThat(env.requireLong("N", 1, 100)).isEqualTo(12);
    assertThatThrownBy(() -> env.requireLong("MISSING", 1, 5368709120L))
        .isInstanceOf(ContractException.class)
        .hasMessage("MISSING is not set; the Pulumi program sets it (a whole number from 1 to 5368709120)");
    assertThatThrownBy(() -> env.requireLong("BLANK", 1, 100)).hasMessageStartingWith("BLANK is not set");
    assertThatThrownBy(() -> env.requireLong("N", 1, 10)).hasMessage("N must be from 1 to 10, not 12");
  }

  @Test
  void parsesFlowsByTheirConfigNames() {
    assertThat(Flow.parse("highest-first")).isEqualTo(Flow.HIGHEST_FIRST);
    assertThatThrownBy(() -> Flow.parse("fifo"))
        .hasMessage("flow must be one of queue-level, consumer-level, highest-first, not 'fifo'");
  }
}
