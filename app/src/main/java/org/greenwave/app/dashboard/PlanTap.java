package org.greenwave.app.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

import com.fasterxml.jackson.core.JsonGenerator;
import org.greenwave.core.engine.PlanSink;
import org.greenwave.core.engine.TimingPlan;
import org.greenwave.core.model.IntersectionModel;

/**
 * Keeps the newest timing plan of every intersection for the dashboard's "schedule ahead", then hands the plan on to
 * the next sink. Put it between the engine and the adapter that publishes plans.
 *
 * <p>Threading: {@link #onPlan} on the engine's shard threads (one writer per intersection; copies into preallocated
 * buffers, never blocks, allocates nothing); {@link #write} from any thread, retrying its copy if a plan arrives
 * meanwhile.
 */
public final class PlanTap implements PlanSink {
    private final PlanSink next;
    private final Slot[] slots;

    /**
     * @param models the engine's intersection models, by engine index
     * @param next   where plans go on to; may be a forwarding sink set later
     */
    public PlanTap(List<IntersectionModel> models, PlanSink next) {
        this.next = next;
        this.slots = new Slot[models.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(models.get(i).linkCount());
        }
    }

    @Override
    public void onPlan(TimingPlan plan) {
        Slot s = slots[plan.intersection()];
        long stamp = s.lock.writeLock();
        try {
            s.sequence = plan.sequence();
            s.issuedAtMs = plan.issuedAtMs();
            s.deviceProgram = plan.deviceProgram();
            s.entries = plan.entryCount();
            for (int e = 0; e < s.entries; e++) {
                plan.copyEntryState(e, s.states[e]);
                s.durationS[e] = plan.entryDurationS(e);
            }
        } finally {
            s.lock.unlockWrite(stamp);
        }
        next.onPlan(plan);
    }

    /**
     * Writes intersection {@code i}'s newest plan as an object: sequence, issue time, device program (or null), and
     * its entries as {@code [state, durationS]}; null when no plan came yet.
     */
    void write(JsonGenerator g, int i) throws IOException {
        Slot s = slots[i];
        int linkCount = s.states[0].length;
        char[][] states = new char[TimingPlan.MAX_ENTRIES][linkCount];
        double[] durations = new double[TimingPlan.MAX_ENTRIES];
        long sequence;
        long issuedAtMs;
        String program;
        int entries;
        while (true) {
            long stamp = s.lock.tryOptimisticRead();
            sequence = s.sequence;
            issuedAtMs = s.issuedAtMs;
            program = s.deviceProgram;
            entries = Math.min(s.entries, TimingPlan.MAX_ENTRIES);
            for (int e = 0; e < entries; e++) {
                System.arraycopy(s.states[e], 0, states[e], 0, linkCount);
                durations[e] = s.durationS[e];
            }
            if (stamp != 0 && s.lock.validate(stamp)) {
                break;
            }
            Thread.onSpinWait();
        }
        if (sequence == 0 && entries == 0 && program == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("sequence", sequence);
        g.writeNumberField("issuedAtMs", issuedAtMs);
        g.writeStringField("deviceProgram", program);
        g.writeFieldName("entries");
        g.writeStartArray();
        for (int e = 0; e < entries; e++) {
            g.writeStartArray();
            g.writeString(new String(states[e]));
            g.writeNumber(Math.round(durations[e] * 10) / 10.0);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** One intersection's newest plan; written under the lock's write mode by its shard thread. */
    private static final class Slot {
        final StampedLock lock = new StampedLock();
        final char[][] states;
        final double[] durationS = new double[TimingPlan.MAX_ENTRIES];
        long sequence;
        long issuedAtMs;
        String deviceProgram;
        int entries;

        Slot(int linkCount) {
            states = new char[TimingPlan.MAX_ENTRIES][linkCount];
        }
    }
}
