package dev.priorityqueues.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.priorityqueues.local.cli.TranscodeBenchCommand.Interval;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transcoding benchmark's verdict on job ÷ bare: the sign test's interval around the median. */
class MedianIntervalTest {

  @Test
  void coverageIsTheBinomialTailsOnBothSides() {
    // [min, max] of 6 misses the median only if all 6 fall on one side: 2 × (1/2)^6.
    assertThat(Interval.coverage(6, 1)).isCloseTo(1 - 2.0 / 64, within(1e-12));
    // [2nd, 7th] of 8 misses it if 0 or 1 of 8 fall below (or above): 2 × (1 + 8) / 256.
    assertThat(Interval.coverage(8, 2)).isCloseTo(1 - 18.0 / 256, within(1e-12));
    assertThat(Interval.coverage(7, 2)).isLessThan(TranscodeBenchCommand.CONFIDENCE);
  }

  @Test
  void eightPairsDropTheirExtremes() {
    Interval interval = Interval.of(List.of(1.30, 1.01, 1.05, 0.90, 1.04, 1.06, 1.02, 1.03));
    assertThat(interval.low()).isEqualTo(1.01);
    assertThat(interval.high()).isEqualTo(1.06);
    assertThat(interval.confidence()).isGreaterThanOrEqualTo(TranscodeBenchCommand.CONFIDENCE);
  }

  @Test
  void sixteenPairsDropFourFromEachEnd() {
    List<Double> ratios = java.util.stream.IntStream.rangeClosed(1, 16).mapToObj(i -> 1 + i / 100.0).toList();
    Interval interval = Interval.of(ratios);
    assertThat(interval.low()).isEqualTo(1.05);
    assertThat(interval.high()).isEqualTo(1.12);
    // 1 − 2 × P(Binomial(16, ½) ≤ 4) = 1 − 2 × 2517 / 65536.
    assertThat(interval.confidence()).isCloseTo(1 - 2 * 2517.0 / 65536, within(1e-12));
  }

  @Test
  void fivePairsDecideOverTheirWholeRange() {
    // [min, max] of 5 holds the median 1 − 2/32 = 94% of the time: enough for a verdict.
    Interval interval = Interval.of(List.of(1.04, 1.01, 1.08, 1.02, 1.06));
    assertThat(interval.low()).isEqualTo(1.01);
    assertThat(interval.high()).isEqualTo(1.08);
    assertThat(interval.verdict(1.10)).isEqualTo("met (94% interval 1.01–1.08x)");
  }

  @Test
  void tooFewPairsForTheConfidenceSpanAllOfThem() {
    Interval interval = Interval.of(List.of(1.02, 0.95, 1.21, 1.06));
    assertThat(interval.low()).isEqualTo(0.95);
    assertThat(interval.high()).isEqualTo(1.21);
    assertThat(interval.confidence()).isLessThan(TranscodeBenchCommand.CONFIDENCE);
    // All four under the target, yet a verdict would be a guess.
    assertThat(new Interval(1.01, 1.05, interval.confidence()).verdict(1.10))
        .isEqualTo("undecided (too few pairs for a 90% interval; they range 1.01–1.05x)");
  }

  @Test
  void aVerdictNeedsTheWholeIntervalOnOneSide() {
    assertThat(new Interval(1.01, 1.08, 0.93).verdict(1.10)).isEqualTo("met (93% interval 1.01–1.08x)");
    assertThat(new Interval(1.11, 1.20, 0.93).verdict(1.10)).isEqualTo("NOT met (93% interval 1.11–1.20x)");
    assertThat(new Interval(1.02, 1.19, 0.97).verdict(1.10)).isEqualTo("undecided (97% interval 1.02–1.19x, across the target)");
  }
}
