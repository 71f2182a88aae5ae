package org.greenwave.core.policy;

/** A policy that records why it decided as it did at its last tick (see {@link DecisionExplanation}). */
public interface ExplainedPolicy {
    /** The policy's own explanation buffer: read it only through {@link DecisionExplanation#copyTo}. */
    DecisionExplanation explanation();
}
