package org.greenwave.core.port;

import java.io.IOException;

/**
 * Starts one field protocol's adapter against an engine: the one object a composition root (the CLI's {@code serve},
 * the harness) chooses, with the protocol's own settings inside, after which nothing names the protocol again.
 */
@FunctionalInterface
public interface FieldPortFactory {

    /**
     * Starts the port; it connects in the background and reports its progress in {@link FieldPort#linkState()}.
     *
     * @throws IOException              when the field cannot be reached in a way no retry mends (e.g. a socket that
     *                                  cannot be bound)
     * @throws IllegalArgumentException when the settings do not fit the engine (e.g. an id the protocol cannot carry)
     */
    FieldPort start(EngineEdge engine) throws IOException;
}
