package dev.priorityqueues.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.priorityqueues.contract.TierTable.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierTableTest {

  private static Tier tier(String name, int rank, String... subscriptions) {
    return new Tier(
        name,
        rank,
        "http://q/" + name,
        "arn:aws:sqs:us-east-1:1:" + name,
        "http://q/" + name + "-dlq",
        "arn:aws:sqs:us-east-1:1:" + name + "-dlq",
        List.of(subscriptions),
        5);
  }

  private final TierTable table =
      new TierTable(
          List.of(tier("premium", 0, "pro", "premium"), tier("standard", 1, "basic"), tier("free", 2, "free")),
          "free");

  @Test
  void roundTripsThroughTheJsonTheProgramWrites() {
    TierTable parsed = TierTable.fromJson(table.toJson(), "free");
    assertThat(parsed.all()).isEqualTo(table.all());
    assertThat(parsed.defaultTier().name()).isEqualTo("free");
  }

  @Test
  void mapsSubscriptionsAndFallsBackToTheDefaultTier() {
    assertThat(table.forSubscription("pro").name()).isEqualTo("premium");
    assertThat(table.forSubscription("basic").name()).isEqualTo("standard");
    assertThat(table.forSubscription("gold-legacy").name()).isEqualTo("free");
    assertThat(table.forSubscription(null).name()).isEqualTo("free");
  }

  @Test
  void listsHigherTiersHighestFirst() {
    assertThat(table.higherThan(table.byName("free"))).extracting(Tier::name).containsExactly("premium", "standard");
    assertThat(table.higherThan(table.highest())).isEmpty();
    assertThat(table.byQueueArn("arn:aws:sqs:us-east-1:1:standard")).map(Tier::name).hasValue("standard");
  }

  @Test
  void rejectsASubscriptionMappedTwice() {
    assertThatThrownBy(() -> new TierTable(List.of(tier("a", 0, "x"), tier("b", 1, "x")), "a"))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("subscription 'x' to both 'a' and 'b'");
  }

  @Test
  void rejectsAnUnknownDefaultTier() {
    assertThatThrownBy(() -> TierTable.fromJson(table.toJson(), "gold"))
        .hasMessageContaining("PQ_DEFAULT_TIER is 'gold', which is not one of the tiers");
  }

  @Test
  void rejectsMalformedTables() {
    assertThatThrownBy(() -> TierTable.fromJson("{}", "a")).hasMessageContaining("must be a JSON array");
    assertThatThrownBy(() -> TierTable.fromJson("[]", "a")).hasMessageContaining("at least one tier");
    assertThatThrownBy(() -> TierTable.fromJson("[{\"name\":\"Bad Name\"}]", "a"))
        .hasMessageContaining("name 'Bad Name' must match");
    assertThatThrownBy(
            () ->
                TierTable.fromJson(
                    "[{\"name\":\"a\",\"queueUrl\":\"u\",\"queueArn\":\"a\",\"dlqUrl\":\"d\",\"dlqArn\":\"d\","
                        + "\"subscriptions\":[\"x\"],\"maxReceiveCount\":0}]",
                    "a"))
        .hasMessageContaining("'maxReceiveCount' must be from 1 to 1000, not 0");
  }
}
