package org.greenwave.adapters.field;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.greenwave.core.port.ReasonCounts;


/**
 * Plans a field side refused, by {@link PlanRefusal}: one instance may be shared by the receiver that checks
 * signatures and the controllers that check the plans, so one set of counts covers a field side.
 *
 * <p>Thread-safe: counted and read from any thread.
 */
public final class PlanRefusals implements ReasonCounts {
    private final AtomicLongArray counts = new AtomicLongArray(PlanRefusal.all().length);

    public void count(PlanRefusal reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long get(PlanRefusal reason) {
        return counts.get(reason.ordinal());
    }

    @Override
    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    /** Every reason by its {@linkplain PlanRefusal#code() code}, in declaration order, zeros included. */
    @Override
    public void forEach(ReasonSink sink) {
        for (PlanRefusal r : PlanRefusal.all()) {
            sink.count(r.code(), get(r));
        }
    }

    /** Every reason by its {@linkplain PlanRefusal#code() code}, in declaration order, zeros included. */
    public Map<String, Long> byCode() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (PlanRefusal r : PlanRefusal.all()) {
            m.put(r.code(), get(r));
        }
        return m;
    }
}
