package org.greenwave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help a user reads: each command summed up in one whole sentence, paragraphs never broken mid-sentence. */
class HelpTextTest {
    private static CommandLine cli() {
        return new CommandLine(new Main());
    }

    @Test
    void everyCommandIsSummedUpInTheCommandListByOneWholeSentence() {
        StringWriter out = new StringWriter();
        CommandLine cl = cli();
        cl.setUsageHelpWidth(200);
        cl.usage(new PrintWriter(out));
        String help = out.toString();
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String[] header = e.getValue().getCommandSpec().usageMessage().header();
            assertThat(header).as(e.getKey() + "'s summary").hasSize(1);
            assertThat(header[0]).as(e.getKey() + "'s summary").endsWith(".").doesNotContain("\n");
            assertThat(help).as("the command list").contains(e.getKey()).contains(header[0]);
        }
    }

    @Test
    void everyDescriptionParagraphAndOptionDescriptionIsWhole() {
        java.util.List<String> broken = new java.util.ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cli().getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            CommandLine.Model.CommandSpec spec = e.getValue().getCommandSpec();
            for (String paragraph : spec.usageMessage().description()) {
                // Each element is one paragraph, printed as one: it ends a sentence.
                if (!paragraph.matches("(?s).*[.)]$")) {
                    broken.add(e.getKey() + ": " + paragraph);
                }
            }
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                String text = String.join(" ", o.description());
                if (!text.matches("(?s).*[.)]$")) {
                    broken.add(e.getKey() + " " + o.longestName() + ": " + text);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyHelpTextIsAFormatStringPicocliCanPrint() {
        // picocli passes each text through String.format: a lone '%' ("95 % confidence") is a conversion, and the
        // paragraph is then printed raw with a warning. '%%' prints one '%'.
        java.util.List<String> bad = new java.util.ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cli().getSubcommands().entrySet()) {
            CommandLine.Model.CommandSpec spec = e.getValue().getCommandSpec();
            java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(spec.usageMessage().header()));
            texts.addAll(java.util.List.of(spec.usageMessage().description()));
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                texts.addAll(java.util.List.of(o.description()));
            }
            for (String text : texts) {
                try {
                    String.format(java.util.Locale.ROOT, text);
                } catch (java.util.IllegalFormatException x) {
                    bad.add(e.getKey() + ": " + x + " in: " + text);
                }
            }
        }
        assertThat(bad).isEmpty();
        StringWriter whatif = new StringWriter();
        CommandLine cl = cli().getSubcommands().get("whatif");
        cl.setUsageHelpWidth(400);
        cl.usage(new PrintWriter(whatif));
        assertThat(whatif.toString()).contains("delay against demand in veh/h with 95 % confidence intervals over seeds")
                .contains("the delay per person and per bus.");
    }

    @Test
    void aCommandsHelpWrapsItsParagraphsToTheWidthItIsGiven() {
        StringWriter wide = new StringWriter();
        CommandLine simulate = cli().getSubcommands().get("simulate");
        simulate.setUsageHelpWidth(200);
        simulate.usage(new PrintWriter(wide));
        // At 200 columns the first paragraph fits on one line: no break where the source code breaks the text.
        assertThat(wide.toString()).containsOnlyOnce("Runs a SUMO scenario under each controller and seed and "
                + "prints a side-by-side comparison.");
        assertThat(wide.toString()).contains("Writes <out>/<controller>/seed-<n>/tripinfo.xml and summary.json for "
                + "every run, the table to <out>/comparison.md");
    }
}
