package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The logging stack as a command leaves it: levels per --quiet/--verbose, one line per record on standard error. */
class LoggingTest {
    /** A record as logback.xml writes it: time, level, logger, message. */
    static final String RECORD = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) [\\w.$]+: .*";

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;
    private final System.Logger adapter = System.getLogger("org.greenwave.adapters.mqtt.MqttConnection");

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
        Main.execute("simulate");
    }

    private String[] errLines() {
        String s = err.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? new String[0] : s.split("\n");
    }

    @Test
    void systemLoggerRecordsReachLogbackAsOneLineEach() {
        Main.execute("simulate");
        err.reset();
        adapter.log(Level.INFO, "connected to MQTT broker\ntcp://127.0.0.1:1883");
        adapter.log(Level.WARNING, "lost the connection", new IOException("reset by peer"));
        LoggerFactory.getLogger("org.greenwave.app.dashboard.LiveSampler").warn("dashboard sample failed");
        String[] lines = errLines();
        assertThat(lines).hasSize(3).allMatch(l -> l.matches(RECORD));
        assertThat(lines[0]).contains("INFO ").endsWith(": connected to MQTT broker | tcp://127.0.0.1:1883");
        assertThat(lines[1]).contains("WARN ").contains("lost the connection | java.io.IOException: reset by peer");
        assertThat(lines[2]).contains("WARN ").endsWith(": dashboard sample failed");
    }

    @Test
    void quietKeepsWarningsOnly() {
        // Refused for want of --scenario, after the logging options took effect.
        assertThat(Main.execute("simulate", "--quiet")).isEqualTo(2);
        err.reset();
        adapter.log(Level.INFO, "connected");
        adapter.log(Level.WARNING, "lost the connection");
        LoggerFactory.getLogger("com.hivemq.Broker").info("started");
        assertThat(errLines()).singleElement().asString().contains("WARN ").endsWith("lost the connection");
    }

    @Test
    void verboseAddsDebugAndTheLibrariesInformation() {
        assertThat(Main.execute("--verbose", "serve")).isEqualTo(2);
        err.reset();
        adapter.log(Level.DEBUG, "cannot connect to MQTT broker (attempt 2)");
        LoggerFactory.getLogger("com.hivemq.Broker").info("Started TCP Listener");
        java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client").info("paho says");
        LoggerFactory.getLogger("com.hivemq.Broker").debug("hivemq detail");
        assertThat(errLines()).hasSize(3).allMatch(l -> l.matches(RECORD));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("DEBUG").contains("attempt 2")
                .contains("Started TCP Listener").contains("paho says").doesNotContain("hivemq detail");
    }

    @Test
    void withNeitherOptionTheConfiguredLevelsComeBack() {
        Main.execute("--verbose", "simulate");
        Main.execute("simulate");
        err.reset();
        adapter.log(Level.DEBUG, "hidden detail");
        adapter.log(Level.INFO, "connected");
        LoggerFactory.getLogger("com.hivemq.Broker").info("started");
        assertThat(errLines()).singleElement().asString().endsWith("connected");
    }

    @Test
    void quietAndVerboseTogetherAreRefused() {
        assertThat(Main.execute("--quiet", "simulate", "--verbose")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--quiet and --verbose");
    }

    @Test
    void everyCommandListsTheGlobalOptions() {
        for (String command : new String[] {"simulate", "serve", "demo", "whatif", "forecast-eval", "suite"}) {
            out.reset();
            assertThat(Main.execute(command, "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(command).contains("--quiet").contains("--verbose");
        }
    }
}
