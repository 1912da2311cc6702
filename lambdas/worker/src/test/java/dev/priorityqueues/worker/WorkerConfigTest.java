package dev.priorityqueues.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.common.testing.TestStack;
import dev.priorityqueues.contract.ContractException;
import dev.priorityqueues.contract.EnvReader;
import dev.priorityqueues.contract.Flow;
import dev.priorityqueues.contract.FunctionEnv;
import dev.priorityqueues.contract.RejectedInputs;
import dev.priorityqueues.worker.processing.InspectingProcessor;
import dev.priorityqueues.worker.processing.Processors;
import dev.priorityqueues.worker.processing.SimulatedProcessor;
import dev.priorityqueues.worker.processing.TranscodingProcessor;
import dev.priorityqueues.worker.processing.VideoProcessor;
import dev.priorityqueues.common.AwsClients;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerConfigTest {

  private static final Map<String, String> BASE = Map.of(
      FunctionEnv.BUCKET, "b",
      FunctionEnv.VIDEOS_TABLE, "v",
      FunctionEnv.TIERS, "[{\"name\":\"only\",\"queueUrl\":\"q\",\"queueArn\":\"a\",\"dlqUrl\":\"d\",\"dlqArn\":\"da\","
          + "\"subscriptions\":[],\"maxReceiveCount\":3}]",
      FunctionEnv.DEFAULT_TIER, "only",
      FunctionEnv.PRIVACY, "90,delete,hashed");

  @Test
  void hasSaneDefaults() {
    WorkerConfig config = WorkerConfig.from(new EnvReader(BASE));
    assertThat(config.flow()).isEqualTo(Flow.HIGHEST_FIRST);
    assertThat(config.stealBudget()).isEqualTo(3);
    assertThat(config.drain()).isTrue();
    assertThat(config.maxDeferrals()).isEqualTo(3);
    assertThat(config.retryBackoffSeconds()).isEqualTo(2);
    assertThat(config.processor()).isNull();
  }

  @Test
  void requiresThePrivacySettingsTheProgramAlwaysSets() {
    WorkerConfig config = WorkerConfig.from(new EnvReader(BASE));
    assertThat(config.privacy().recordRetention()).isEqualTo(java.time.Duration.ofDays(90));
    assertThat(config.privacy().rejectedInputs()).isEqualTo(RejectedInputs.DELETE);
    Map<String, String> env = new java.util.HashMap<>(BASE);
    env.remove(FunctionEnv.PRIVACY);
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env)))
        .hasMessage("PQ_PRIVACY is not set; the Pulumi program sets it");
    env.put(FunctionEnv.PRIVACY, "0,delete,hashed");
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env)))
        .hasMessage("PQ_PRIVACY's record retention must be from 1 to 3650 days, not 0");
    env.put(FunctionEnv.PRIVACY, "90,keep,hashed");
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env)))
        .hasMessage("PQ_PRIVACY's rejected inputs must be one of [delete, quarantine], not 'keep'");
    env.put(FunctionEnv.PRIVACY, "90");
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env)))
        .hasMessage("PQ_PRIVACY must be <recordRetentionDays>,<delete|quarantine>,<hashed|plain>, e.g. 90,delete,hashed,"
            + " not '90'");
  }

  @Test
  void namesTheVariableThatIsWrong() {
    Map<String, String> env = new java.util.HashMap<>(BASE);
    env.put(FunctionEnv.FLOW, "fifo");
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env)))
        .hasMessage("flow must be one of queue-level, consumer-level, highest-first, not 'fifo'");
    env.put(FunctionEnv.FLOW, "highest-first");
    env.put(FunctionEnv.STEAL_BUDGET, "-1");
    assertThatThrownBy(() -> WorkerConfig.from(new EnvReader(env))).hasMessage("PQ_STEAL_BUDGET must be from 0 to 100, not -1");
  }

  @Test
  void buildsTheProcessorTheSpecNames() {
    assertThat(fromSpec("simulated:250")).isInstanceOf(SimulatedProcessor.class)
        .satisfies(p -> assertThat(p.expectedMillis()).isEqualTo(250));
    assertThat(fromSpec(null)).as("transcode is the default").isInstanceOf(TranscodingProcessor.class)
        // The first job's gate must fit a short timeout (the dev stack's 60 s), or no job would ever start.
        .satisfies(p -> assertThat(p.expectedMillis()).isPositive().isLessThan(60_000));
    assertThat(fromSpec("transcode")).isInstanceOf(TranscodingProcessor.class);
    assertThat(fromSpec("inspect")).isInstanceOf(InspectingProcessor.class);
  }

  private static VideoProcessor fromSpec(String spec) {
    return Processors.fromSpec(spec, "b", TestStack::s3,
        () -> new AwsClients(new EnvReader(Map.of(FunctionEnv.AWS_REGION, "us-east-1",
            FunctionEnv.AWS_ACCESS_KEY_ID, "x", FunctionEnv.AWS_SECRET_ACCESS_KEY, "y"))).presigner(),
        new EnvReader(BASE), Clock.systemUTC());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ffmpeg", "simulated:", "simulated:-1", "simulated:fast", "simulated:900001"})
  void refusesUnknownProcessors(String spec) {
    assertThatThrownBy(() -> fromSpec(spec))
        .isInstanceOf(ContractException.class)
        .hasMessage("PQ_PROCESSOR must be 'transcode', 'inspect' or 'simulated:<millis>' with millis from 0 to 900000,"
            + " not '" + spec + "'");
  }
}
