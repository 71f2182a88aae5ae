package org.greenwave.core.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * External ids to dense indexes, built once at start-up: detectors (numbered across all intersections) and
 * intersections. Look-ups by UTF-8 bytes allocate nothing, so decoders can map ids straight from a message buffer.
 *
 * <p>Immutable after construction; safe for any number of reader threads.
 */
public final class DetectorDirectory {
    private final String[] intersectionIds;
    private final String[] detectorIds;
    private final byte[][] detectorUtf8;
    private final int[] detectorIntersection;
    private final DetectorKind[] detectorKind;
    private final int[] detectorLane;
    private final int[] detectorTable;
    private final byte[][] intersectionUtf8;
    private final int[] intersectionTable;

    /**
     * @param intersectionIds external id of each intersection, by index
     * @param detectors       for each intersection, its detectors; detector indexes are assigned in this order
     * @throws IllegalArgumentException on a duplicate id
     */
    public DetectorDirectory(List<String> intersectionIds, List<List<DetectorSpec>> detectors) {
        if (intersectionIds.size() != detectors.size()) {
            throw new IllegalArgumentException("one detector list per intersection expected");
        }
        this.intersectionIds = intersectionIds.toArray(new String[0]);
        int n = 0;
        for (List<DetectorSpec> d : detectors) {
            n += d.size();
        }
        detectorIds = new String[n];
        detectorUtf8 = new byte[n][];
        detectorIntersection = new int[n];
        detectorKind = new DetectorKind[n];
        detectorLane = new int[n];
        int k = 0;
        for (int i = 0; i < detectors.size(); i++) {
            for (DetectorSpec d : detectors.get(i)) {
                detectorIds[k] = d.id();
                detectorUtf8[k] = d.id().getBytes(StandardCharsets.UTF_8);
                detectorIntersection[k] = i;
                detectorKind[k] = d.kind();
                detectorLane[k] = d.lane();
                k++;
            }
        }
        detectorTable = table(detectorUtf8, "detector");
        intersectionUtf8 = new byte[this.intersectionIds.length][];
        for (int i = 0; i < intersectionUtf8.length; i++) {
            intersectionUtf8[i] = this.intersectionIds[i].getBytes(StandardCharsets.UTF_8);
        }
        intersectionTable = table(intersectionUtf8, "intersection");
    }

    private static int[] table(byte[][] keys, String what) {
        int size = Integer.highestOneBit(Math.max(4, keys.length * 2 - 1)) << 1;
        int[] t = new int[size];
        Arrays.fill(t, -1);
        for (int i = 0; i < keys.length; i++) {
            int slot = hash(keys[i], 0, keys[i].length) & (size - 1);
            while (t[slot] >= 0) {
                if (Arrays.equals(keys[t[slot]], keys[i])) {
                    throw new IllegalArgumentException("duplicate " + what + " id '"
                            + new String(keys[i], StandardCharsets.UTF_8) + "'");
                }
                slot = (slot + 1) & (size - 1);
            }
            t[slot] = i;
        }
        return t;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static int find(int[] table, byte[][] keys, byte[] b, int off, int len) {
        int mask = table.length - 1;
        int slot = hash(b, off, len) & mask;
        while (true) {
            int idx = table[slot];
            if (idx < 0) {
                return -1;
            }
            byte[] k = keys[idx];
            if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
                return idx;
            }
            slot = (slot + 1) & mask;
        }
    }

    public int detectorCount() {
        return detectorIds.length;
    }

    /** Index of the detector whose id is the UTF-8 bytes {@code b[off, off+len)}, or -1. No allocation. */
    public int detectorIndex(byte[] b, int off, int len) {
        return find(detectorTable, detectorUtf8, b, off, len);
    }

    /** Index of the detector with this id, or -1. */
    public int detectorIndex(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return detectorIndex(b, 0, b.length);
    }

    public String detectorId(int detector) {
        return detectorIds[detector];
    }

    /** The intersection a detector reports to. */
    public int detectorIntersection(int detector) {
        return detectorIntersection[detector];
    }

    public DetectorKind detectorKind(int detector) {
        return detectorKind[detector];
    }

    /** The model lane index the detector watches (incoming or outgoing, by kind). */
    public int detectorLane(int detector) {
        return detectorLane[detector];
    }

    public int intersectionCount() {
        return intersectionIds.length;
    }

    /** Index of the intersection whose id is the UTF-8 bytes {@code b[off, off+len)}, or -1. No allocation. */
    public int intersectionIndex(byte[] b, int off, int len) {
        return find(intersectionTable, intersectionUtf8, b, off, len);
    }

    /** Index of the intersection with this id, or -1. */
    public int intersectionIndex(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return intersectionIndex(b, 0, b.length);
    }

    public String intersectionId(int intersection) {
        return intersectionIds[intersection];
    }
}
