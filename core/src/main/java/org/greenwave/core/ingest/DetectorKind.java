package org.greenwave.core.ingest;

/** Where a detector sits relative to the intersection it reports to. */
public enum DetectorKind {
    /** Induction loop just before the stop line of an incoming lane. */
    STOP_LINE,
    /** Induction loop some distance upstream of the stop line of an incoming lane. */
    ADVANCE,
    /** Lane-area detector (camera-like) over the approach of an incoming lane. */
    AREA_IN,
    /** Lane-area detector over the first stretch of an outgoing lane. */
    AREA_OUT
}
