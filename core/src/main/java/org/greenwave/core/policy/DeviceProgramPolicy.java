package org.greenwave.core.policy;

import org.greenwave.core.state.IntersectionView;

/**
 * Leaves the signal to a program the field device runs by itself: the signal's own program as defined
 * ({@code device}), its fixed-time variant ({@code fixed}) or the device's actuated logic ({@code actuated}). The
 * engine proposes nothing and only watches.
 */
public final class DeviceProgramPolicy implements SignalPolicy {
    private final String programId;

    public DeviceProgramPolicy(String programId) {
        this.programId = programId;
    }

    @Override
    public String deviceProgram() {
        return programId;
    }

    @Override
    public int propose(IntersectionView view) {
        return view.targetPhase();
    }
}
