package dev.priorityqueues.local.bench;

/** One job of a trace: when it arrives (ms from the trace start), on which tier, for which user. */
public record Arrival(int index, long atMillis, int tierRank, String tier, String user) {}
