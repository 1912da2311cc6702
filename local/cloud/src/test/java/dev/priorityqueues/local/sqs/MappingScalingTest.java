package dev.priorityqueues.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MappingScalingTest {

  private final AtomicLong clock = new AtomicLong();

  private void pass(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void onDemandRampsOnlyWhileMessagesKeepComingAndStopsAtTwelveHundredFifty() {
    MappingScaling scaling = MappingScaling.onDemand(null, 5_000, clock::get);
    assertThat(scaling.allowed()).isEqualTo(5);
    pass(Duration.ofMinutes(1));
    assertThat(scaling.allowed()).as("no messages seen yet: no growth").isEqualTo(5);
    scaling.polled(true);
    pass(Duration.ofMinutes(1));
    assertThat(scaling.allowed()).isEqualTo(305);
    pass(Duration.ofMinutes(10));
    assertThat(scaling.allowed()).isEqualTo(1_250);
  }

  @Test
  void onDemandScalesDownOneUnitPerEmptyPollToItsStart() {
    MappingScaling scaling = MappingScaling.onDemand(40, 1_000, clock::get);
    scaling.polled(true);
    pass(Duration.ofMinutes(1));
    assertThat(scaling.allowed()).isEqualTo(40);
    scaling.polled(false);
    scaling.polled(false);
    assertThat(scaling.allowed()).isEqualTo(38);
    pass(Duration.ofMinutes(1));
    assertThat(scaling.allowed()).as("idle: no growth").isEqualTo(38);
    for (int i = 0; i < 100; i++) {
      scaling.polled(false);
    }
    assertThat(scaling.allowed()).isEqualTo(5);
  }

  @Test
  void aCapBelowFiveOrTheFunctionsLimitBoundsTheStart() {
    assertThat(MappingScaling.onDemand(2, 1_000, clock::get).allowed()).isEqualTo(2);
    assertThat(MappingScaling.onDemand(null, 3, clock::get).ceiling()).isEqualTo(3);
  }

  @Test
  void provisionedStartsAtTenPerMinimumPollerAndAddsAThousandPerMinute() {
    MappingScaling scaling = MappingScaling.provisioned(5, 100, 10_000, clock::get);
    assertThat(scaling.allowed()).isEqualTo(50);
    scaling.polled(true);
    pass(Duration.ofSeconds(30));
    assertThat(scaling.allowed()).isEqualTo(550);
    pass(Duration.ofMinutes(1));
    assertThat(scaling.allowed()).isEqualTo(1_000);
    for (int i = 0; i < 2_000; i++) {
      scaling.polled(false);
    }
    assertThat(scaling.allowed()).isEqualTo(50);
    assertThatThrownBy(() -> MappingScaling.provisioned(3, 2, 100, clock::get))
        .hasMessageContaining("minimum <= maximum");
  }

  @Test
  void aScaledClockRunsAwsTimeFasterByItsFactor() throws InterruptedException {
    var scaled = MappingScaling.scaledClock(100);
    long realStart = System.nanoTime();
    long awsStart = scaled.getAsLong();
    Thread.sleep(20);
    long real = System.nanoTime() - realStart;
    long aws = scaled.getAsLong() - awsStart;
    assertThat(aws).isBetween(real * 90, real * 110);
    assertThatThrownBy(() -> MappingScaling.scaledClock(0)).hasMessageContaining("time scale");
  }
}
