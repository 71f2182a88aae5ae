package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * docs/mqtt.md's examples name real detectors: every detector id and intersection id in it is one that
 * {@code greenwave inspect} lists for the network the doc names ({@code scenarios/corridor}), of the kind the example's
 * payload is for.
 */
class MqttDocExamplesTest {
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern DETECTOR_ID = Pattern.compile("\\bgw_(?:stop|adv|in|out)_[A-Za-z0-9_]+");
    private static final Pattern INTERSECTION = Pattern.compile("/intersections/([^/+{`…\\s]+)/");
    /** The doc's example of an intersection that is not configured. */
    private static final String UNKNOWN_ON_PURPOSE = "X9";

    @Test
    void everyExampleIdExistsInTheCorridorWithTheRightKind() throws Exception {
        Path root = InspectCommandTest.projectRoot();
        String doc = Files.readString(root.resolve("docs/mqtt.md"));
        assertThat(doc).contains("`scenarios/corridor`");

        // Logging set up before standard output is captured: on the test class path (HiveMQ's jar carries a
        // logback.xml of its own) Logback reports its set-up on standard output, which is not inspect's.
        org.slf4j.LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("inspect", "--scenario", root.resolve("scenarios/corridor").toString(),
                    "--format", "json")).isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode inspected = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        Map<String, String> kindById = new HashMap<>();
        Set<String> signals = new LinkedHashSet<>();
        for (JsonNode s : inspected.get("signals")) {
            signals.add(s.get("id").asText());
            s.get("detectors").forEach(d -> kindById.put(d.get("mqttId").asText(), d.get("kind").asText()));
        }

        int payloadIds = 0;
        Matcher block = JSON_BLOCK.matcher(doc);
        while (block.find()) {
            if (!block.group(1).contains("\"detector\"")) {
                continue;
            }
            JsonNode json = new ObjectMapper().readTree(block.group(1));
            for (String batch : new String[] {"events", "aggregates", "readings"}) {
                if (json.has(batch)) {
                    for (JsonNode entry : json.get(batch)) {
                        String id = entry.get("detector").asText();
                        assertThat(kindById).as("detector id %s in docs/mqtt.md", id).containsKey(id);
                        assertThat(kindById.get(id)).as("kind of %s, used in \"%s\"", id, batch)
                                .isIn(batch.equals("readings") ? Set.of("AREA_IN", "AREA_OUT")
                                        : Set.of("STOP_LINE", "ADVANCE"));
                        payloadIds++;
                    }
                }
            }
        }
        assertThat(payloadIds).as("detector ids in the doc's payload examples").isGreaterThanOrEqualTo(3);

        Matcher id = DETECTOR_ID.matcher(doc);
        int mentioned = 0;
        while (id.find()) {
            assertThat(kindById).as("detector id %s mentioned in docs/mqtt.md", id.group()).containsKey(id.group());
            mentioned++;
        }
        assertThat(mentioned).isGreaterThan(payloadIds);

        Matcher topic = INTERSECTION.matcher(doc);
        int topics = 0;
        while (topic.find()) {
            if (!topic.group(1).equals(UNKNOWN_ON_PURPOSE)) {
                assertThat(signals).as("intersection in a topic of docs/mqtt.md").contains(topic.group(1));
                topics++;
            }
        }
        assertThat(topics).isPositive();
    }
}
