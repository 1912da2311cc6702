package dev.priorityqueues.local.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the benchmark's Markdown report and its plots (wait over time, per tier, per flow). */
public final class BenchReport {
  private BenchReport() {}

  private static final Color[] TIER_COLOURS = {new Color(0xC0392B), new Color(0x2980B9), new Color(0x7F8C8D)};

  public static String table(List<Analysis> analyses) {
    StringBuilder md = new StringBuilder();
    Analysis first = analyses.get(0);
    String top = first.topTier();
    String bottom = first.bottomTier();
    md.append("| flow | ").append(top).append(" p50 | p95 | p99 | p95 excess over ideal | ")
        .append(bottom).append(" p95 | ").append(bottom).append(" max | makespan | × ideal | utilisation")
        .append(" | SQS calls/job: worker + mappings = total | DynamoDB calls/job | DLQ moves |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Analysis a : analyses) {
      Percentiles topWaits = a.waitsByTier().get(top);
      Percentiles bottomWaits = a.waitsByTier().get(bottom);
      md.append(String.format(Locale.ROOT,
          "| %s | %s | %s | %s | %+.2f S | %s | %s | %.2f s | %.3f | %.0f%% | %.2f + %.2f = %.2f | %.2f | %d%s |%n",
          a.run().label(), ms(topWaits.at(50)), ms(topWaits.at(95)), ms(topWaits.at(99)), a.topP95ExcessInServiceTimes(),
          ms(bottomWaits.at(95)), ms(bottomWaits.max()), a.run().makespanMillis() / 1000.0, a.makespanRatio(),
          a.utilisation() * 100, a.workerSqsCallsPerJob(), a.mappingSqsCallsPerJob(),
          a.workerSqsCallsPerJob() + a.mappingSqsCallsPerJob(), a.dynamoDbCallsPerJob(), a.run().dlqMessages(),
          a.unfinished() > 0 ? " (" + a.unfinished() + " unfinished)" : ""));
    }
    Analysis reference = analyses.get(analyses.size() - 1);
    Percentiles idealTop = reference.idealWaitsByTier().get(top);
    Percentiles idealBottom = reference.idealWaitsByTier().get(bottom);
    md.append(String.format(Locale.ROOT,
        "| ideal (on %s's service times) | %s | %s | %s | — | %s | %s | %.2f s | 1.000 | — | — | — | — |%n",
        reference.run().label(), ms(idealTop.at(50)), ms(idealTop.at(95)), ms(idealTop.at(99)), ms(idealBottom.at(95)),
        ms(idealBottom.max()), reference.idealMakespanMillis() / 1000.0));
    return md.toString();
  }

  /**
   * The mean latency the worker saw per call, per run: when the machine is saturated these climb
   * well above AWS's, and the figures would measure CPU contention instead of scheduling.
   */
  public static String latencyLine(List<Analysis> analyses) {
    StringBuilder line = new StringBuilder("Mean latency of the worker's calls (local servers): ");
    for (Analysis a : analyses) {
      Map<String, Double> latency = a.run().meanLatencyMillis();
      line.append(String.format(Locale.ROOT, "%s — DynamoDB UpdateItem %s, SQS ReceiveMessage %s; ", a.run().label(),
          ms1(latency.get("FUNCTION:DynamoDb.UpdateItem")), ms1(latency.get("FUNCTION:Sqs.ReceiveMessage"))));
    }
    return line.substring(0, line.length() - 2) + ".\n";
  }

  /** Per-tier waits of every flow, for scenarios with more than two tiers. */
  public static String tierTable(List<Analysis> analyses) {
    StringBuilder md = new StringBuilder("| flow | tier | jobs | p50 | p95 | p99 | max | ideal p95 |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Analysis a : analyses) {
      for (Map.Entry<String, Percentiles> tier : a.waitsByTier().entrySet()) {
        Percentiles p = tier.getValue();
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", a.run().label(), tier.getKey(),
            p.count(), ms(p.at(50)), ms(p.at(95)), ms(p.at(99)), ms(p.max()), ms(a.idealWaitsByTier().get(tier.getKey()).at(95))));
      }
    }
    return md.toString();
  }

  /** A scatter of each job's wait against its arrival, one series per tier. */
  public static Path plot(Analysis analysis, boolean ideal, Path dir, String fileName) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(420)
        .title(analysis.run().scenario().name() + " — " + (ideal ? "ideal strict priority" : analysis.run().label()))
        .xAxisTitle("arrival (s)").yAxisTitle("wait (ms)").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    List<Scenario.TierSpec> tiers = analysis.run().scenario().tiers();
    for (int t = 0; t < tiers.size(); t++) {
      String tier = tiers.get(t).name();
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (FlowRun.JobResult job : analysis.run().jobs()) {
        if (!job.arrival().tier().equals(tier)) {
          continue;
        }
        double wait = ideal
            ? analysis.ideal().waitMillis(analysis.actualArrivals().get(job.arrival().index()))
            : job.waitMillis();
        if (wait >= 0) {
          x.add(job.arrivedMillis() / 1000.0);
          y.add(wait);
        }
      }
      if (x.isEmpty()) {
        continue;
      }
      XYSeries series = chart.addSeries(tier, x, y);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setMarkerColor(TIER_COLOURS[Math.min(t, TIER_COLOURS.length - 1)]);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  public static String header(String command, int slots, int serviceMillis, long lagMillis, long seed) {
    return "# Priority flows benchmark\n\n"
        + "Measured " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
        + Runtime.version() + ", with the local cloud (ElasticMQ, DynamoDB Local, S3Proxy in one JVM).\n\n"
        + "Reproduce with:\n\n```bash\n" + command + "\n```\n\n"
        + "Setup: " + slots + " worker slots (the worker's reserved concurrency), a simulated service time of "
        + serviceMillis + " ms, SQS attribute lag " + lagMillis + " ms, seed " + seed + ". Every flow replays the same "
        + "trace on a fresh local cloud with the same tier caps (the tiers' maximum concurrency sums to the slots). "
        + "The **ideal** is a perfect non-preemptive strict-priority scheduler on the same slots, replaying the run's "
        + "actual arrival times with the service times the run measured, so the comparison isolates scheduling. "
        + "*S* is the mean measured service time; \"p95 excess\" is the top tier's p95 wait minus the ideal's, in "
        + "units of S (negative: better than the ideal, which a flow can only buy with capacity held idle for the "
        + "top tier). API calls are counted by an SDK ExecutionInterceptor: *worker* SQS calls are the worker's own "
        + "(steals, drains, re-sends, batched deletes, backlog reads), *mappings* are the event source mappings' "
        + "receives and deletes (long polls, so they also depend on idle time). DynamoDB calls are the same three per job "
        + "in every flow (claim, DONE, and the note that its completion event is published); each execution "
        + "environment also primes its client with one read.\n\n";
  }

  private static String ms1(Double millis) {
    return millis == null ? "— (not called)" : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  public static String ms(double millis) {
    return Double.isNaN(millis) ? "—" : String.format(Locale.ROOT, "%.0f ms", millis);
  }
}
