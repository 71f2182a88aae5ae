package org.greenwave.app;

import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Greenwave's one logging stack: SLF4J bound to Logback, configured by {@code logback.xml} (one line per record on
 * standard error). java.util.logging, and with it {@link System.Logger} (the adapters' logging) and the MQTT client
 * library, is routed into it; Logback's level changes are propagated back, so records below the level cost nothing.
 *
 * <p>Called from the command line's thread before a command runs.
 */
final class Logging {
    /** How much is logged: {@code --quiet}, neither option, {@code --verbose}. */
    enum Verbosity {
        /** Warnings and errors only. */
        QUIET,
        /** As {@code logback.xml} says: Greenwave's information, everyone's warnings. */
        NORMAL,
        /** Greenwave's debug records, and every library's information (the embedded broker's start-up, ...). */
        VERBOSE
    }

    private static final String GREENWAVE = "org.greenwave";
    private static final String BROKER = "com.hivemq";
    /** The configured levels of the loggers the verbosity sets, to restore them for {@link Verbosity#NORMAL}. */
    private static Map<String, Level> configured;

    private Logging() {
    }

    /**
     * Initialises SLF4J now, in the calling thread, before any other thread logs (records logged by other threads
     * while it initialises are replayed, with a warning), and routes java.util.logging into it. Idempotent.
     */
    static synchronized void init() {
        LoggerFactory.getILoggerFactory();
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** Sets how much is logged from now on. Without Logback (another SLF4J backend), its own configuration rules. */
    static synchronized void verbosity(Verbosity v) {
        init();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (configured == null) {
            configured = new LinkedHashMap<>();
            for (String name : new String[] {GREENWAVE, BROKER, org.slf4j.Logger.ROOT_LOGGER_NAME}) {
                configured.put(name, context.getLogger(name).getLevel());
            }
        }
        switch (v) {
            case QUIET -> {
                set(context, GREENWAVE, Level.WARN);
                set(context, BROKER, Level.WARN);
                set(context, org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
            }
            case NORMAL -> configured.forEach((name, level) -> set(context, name, level));
            case VERBOSE -> {
                set(context, GREENWAVE, Level.DEBUG);
                set(context, BROKER, Level.INFO);
                set(context, org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
            }
        }
    }

    private static void set(LoggerContext context, String name, Level level) {
        context.getLogger(name).setLevel(level);
    }
}
