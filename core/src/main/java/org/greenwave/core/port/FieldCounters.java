package org.greenwave.core.port;

/**
 * What a field port has done since it started, as monotonically increasing counts common to every protocol.
 * Counted by the adapter's threads (the engine's shard threads for plans); read from any thread, lock-free: two reads
 * are not a consistent snapshot of each other. Protocol-specific figures come through {@link #report}.
 */
public interface FieldCounters extends MetricSource {

    /** Messages (or polls answered) received from the field: detector data and status, bad ones included. */
    long messagesIn();

    /** Detector readings validated and accepted by {@link org.greenwave.core.ingest.Ingest}. */
    long entriesApplied();

    /** Valid detector readings that {@code Ingest} refused because a shard's queue was full. */
    long ingestRefused();

    /** What was rejected of the field's input (malformed, unknown detector, out of time), by reason. */
    ReasonCounts rejects();

    /** Timing plans handed to the field (published, sent, applied). */
    long plansSent();

    /** Timing plans not sent: the link was down, or they went stale before they could be sent. */
    long plansDropped();

    /** Established links that were lost. */
    long connectionLosses();

    /** Protocol-specific figures; none by default. */
    @Override
    default void report(MetricSink sink) {
    }
}
