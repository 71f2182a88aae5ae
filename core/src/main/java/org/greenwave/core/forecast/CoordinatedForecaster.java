package org.greenwave.core.forecast;

import org.greenwave.core.policy.Neighbourhood;

/**
 * A forecaster that exchanges projected outflows with its neighbours' forecasters through a {@link Neighbourhood} of
 * the forecasters' own (apart from the policies' one): every tick it publishes the outflow its roll-out projects into
 * each outgoing lane, and takes its upstream neighbours' projections as arrivals into the lanes they feed. The engine
 * calls {@link #join} once at start-up, before the first tick; afterwards the forecaster reads its neighbours' slots and
 * writes its own only from {@link #update}, on its intersection's control thread.
 */
public interface CoordinatedForecaster extends IntersectionForecaster {
    /** Start-up only: the forecasters' neighbourhood and this forecaster's intersection index in it. */
    void join(Neighbourhood forecasts, int intersection);
}
