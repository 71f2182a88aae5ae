package org.greenwave.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A broker never outlives the JVM that started it, not even one killed outright (SIGKILL runs no shutdown hook): a
 * child JVM starts Mosquitto and is killed; the broker is gone within the watchdog's second.
 */
@Tag("broker")
class MosquittoBrokerWatchdogTest {

    /** The child: starts a broker, prints its process id, waits to be killed. */
    public static void main(String[] args) throws Exception {
        MosquittoBroker broker = MosquittoBroker.start();
        System.out.println(broker.pid());
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
    }

    @Test
    void aKilledJvmLeavesNoBrokerBehind() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                MosquittoBrokerWatchdogTest.class.getName())).redirectErrorStream(true).start();
        try {
            String line;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                line = out.readLine();
                assertThat(line).as("the child's first line: the broker's pid").isNotNull().matches("\\d+");
                long pid = Long.parseLong(line);
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                Optional<ProcessHandle> broker = ProcessHandle.of(pid);
                while (broker.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() - deadlineNs < 0) {
                    Thread.sleep(100);
                    broker = ProcessHandle.of(pid);
                }
                assertThat(broker.map(ProcessHandle::isAlive)).as("broker %d after its JVM was killed", pid)
                        .isNotEqualTo(Optional.of(true));
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
