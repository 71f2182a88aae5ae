package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.greenwave.adapters.mqtt.SigningKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --via mqtt} with keys from files: a key rotation, and plans signed with a key nobody trusts. */
class SimulateSignedPlansTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    private int simulate(String out, String... keys) {
        String[] base = {"simulate", "--scenario", ROOT.resolve("scenarios/intersection").toString(), "--controller",
            "max-pressure", "--seeds", "1", "--begin", "0", "--end", "120", "--via", "mqtt", "--out",
            dir.resolve(out).toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + keys.length);
        System.arraycopy(keys, 0, args, base.length, keys.length);
        return Main.execute(args);
    }

    private JsonNode summary(String out) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(out).resolve("max-pressure/seed-1/summary.json").toFile());
    }

    @Test
    @Tag("sumo")
    void duringARotationPlansOfTheNewKeyAreFollowedAndPlansOfAnUntrustedKeyAreNot() throws Exception {
        SigningKeys.generate(dir.resolve("old"));
        SigningKeys.generate(dir.resolve("new"));
        String oldPub = dir.resolve("old/plan-signing.pub").toString();
        String newPub = dir.resolve("new/plan-signing.pub").toString();

        assertThat(simulate("rotation", "--plan-key", dir.resolve("new/plan-signing.key").toString(),
                "--trusted-key", oldPub + "," + newPub)).as(console.err()).isZero();
        assertThat(summary("rotation").get("fallbackSteps").asLong()).as("every plan followed").isZero();
        assertThat(console.err()).doesNotContain("refused");

        // The controllers trust only the new key; the engine still signs with the old one.
        assertThat(simulate("untrusted", "--plan-key", dir.resolve("old/plan-signing.key").toString(),
                "--trusted-key", newPub)).as(console.err()).isZero();
        assertThat(summary("untrusted").get("fallbackSteps").asLong()).as("no plan followed: the signals ran their "
                + "own programs").isGreaterThanOrEqualTo(100);
        assertThat(summary("untrusted").get("safetyViolations").asLong()).isZero();
        assertThat(console.err()).containsPattern("the field controllers refused \\d+ plan\\(s\\): unknown-key \\d+");
        JsonNode field = summary("untrusted").get("field");
        assertThat(field.get("plansAccepted").asLong()).isZero();
        assertThat(field.at("/refusedByReason/unknown-key").asLong()).isPositive()
                .isEqualTo(field.get("plansRefused").asLong());
        assertThat(console.out()).contains("Field controllers (plans followed, refused by reason")
                .containsPattern("max-pressure seed 1: 0 followed, \\d+ refused \\(unknown-key \\d+\\); fell back 0 "
                        + "time\\(s\\), \\d+ signal-s without a valid plan");
    }

    @Test
    void keyOptionsAreChecked() throws Exception {
        String[] base = {"simulate", "--scenario", ROOT.resolve("scenarios/intersection").toString(), "--out",
            dir.resolve("x").toString()};
        assertThat(Main.execute(concat(base, "--plan-key", "k"))).isEqualTo(2);
        assertThat(console.err()).contains("--plan-key needs --via mqtt");
        assertThat(Main.execute(concat(base, "--via", "mqtt", "--trusted-key", "k.pub"))).isEqualTo(2);
        assertThat(console.err()).contains("--trusted-key needs --plan-key");
        Path notAKey = dir.resolve("k");
        Files.writeString(notAKey, "x\n");
        assertThat(Main.execute(concat(base, "--via", "mqtt", "--plan-key", notAKey.toString()))).isEqualTo(2);
        assertThat(console.err()).contains("--plan-key " + notAKey + ": no '-----BEGIN PRIVATE KEY-----'");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
