package org.greenwave.adapters.ntcip;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.greenwave.core.model.IntersectionModel;

/**
 * Which NTCIP controller runs each signal, and how the engine's phases and detectors are numbered there: the file
 * format is in docs/ntcip.md. One statement a line, {@code #} at the start of a line or after a blank starts a comment
 * (inside an id it is part of the id, as in SUMO's):
 * <pre>
 * signal J1 10.0.3.21:161      # engine signal id, the controller's SNMP address
 * phase 0 2                    # engine green phase 0 is NTCIP phase 2
 * phase 1 4
 * detector J1_in_0_stop 1      # engine detector id, NTCIP vehicle detector number
 * mode pattern                 # phase-control (the default) or pattern
 * max-cycle 120                # mode pattern: the longest cycle the engine may select, seconds
 * </pre>
 * {@code phase}, {@code detector}, {@code mode} and {@code max-cycle} lines belong to the {@code signal} line above them. Everything is checked when
 * the file is read ({@link #read}) and against the engine's model ({@link #check}); every mistake is an
 * {@link NtcipConfigException} naming the file and line.
 */
public final class NtcipMapping {
    private final Path file;
    private final Map<String, Signal> signals;

    private NtcipMapping(Path file, Map<String, Signal> signals) {
        this.file = file;
        this.signals = signals;
    }

    /** How the engine commands a controller. */
    public enum Mode {
        /** Second by second, through the phase control groups (hold, force-off, omit, vehicle call). */
        PHASE_CONTROL("phase-control"),
        /** Cycle by cycle, by writing a pattern and its split table and selecting it ({@code systemPatternControl}). */
        PATTERN("pattern");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The mode as the mapping file spells it. */
        public String word() {
            return word;
        }

        /** The mode the file spells {@code word}, or null. */
        public static Mode of(String word) {
            for (Mode m : values()) {
                if (m.word.equals(word)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** The longest cycle a pattern may have when the file gives no {@code max-cycle}: {@code patternCycleTime}'s limit. */
    public static final int DEFAULT_MAX_CYCLE_S = 255;
    /** The shortest {@code max-cycle} the file may give, seconds. */
    public static final int MIN_MAX_CYCLE_S = 20;

    /**
     * One signal's controller and numbering.
     *
     * @param ntcipPhase           per engine green phase (index), its NTCIP phase number; 0 where the file names none
     * @param ntcipDetector        engine detector id to NTCIP vehicle detector number, in file order
     * @param line                 the {@code signal} line
     * @param mode                 how the engine commands the controller
     * @param maxCycleS            mode pattern: the longest cycle the engine may select, seconds
     * @param maxCycleLine         the {@code max-cycle} line, or the {@code signal} line when the file gives none
     */
    public record Signal(String id, String host, int port, int[] ntcipPhase, int[] phaseLines,
                         Map<String, Integer> ntcipDetector, Map<String, Integer> detectorLines, int line, Mode mode,
                         int maxCycleS, int maxCycleLine) {
        /** The engine green phase NTCIP phase {@code ntcip} stands for, or -1. */
        public int enginePhase(int ntcip) {
            for (int i = 0; i < ntcipPhase.length; i++) {
                if (ntcipPhase[i] == ntcip) {
                    return i;
                }
            }
            return -1;
        }

        /** Highest NTCIP phase number used. */
        public int maxPhase() {
            int max = 0;
            for (int p : ntcipPhase) {
                max = Math.max(max, p);
            }
            return max;
        }

        /** Highest NTCIP vehicle detector number used (0 when none). */
        public int maxDetector() {
            int max = 0;
            for (int d : ntcipDetector.values()) {
                max = Math.max(max, d);
            }
            return max;
        }
    }

    public Path file() {
        return file;
    }

    /** The signals in file order. */
    public Collection<Signal> signals() {
        return signals.values();
    }

    /** The signal {@code id}, or null. */
    public Signal signal(String id) {
        return signals.get(id);
    }

    /** Reads and checks {@code file}'s syntax and numbering; see {@link #check} for the check against the model. */
    public static NtcipMapping read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NtcipConfigException(file, 0, "no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new NtcipConfigException(file, 0, "not UTF-8 text");
        }
        return parse(file, lines);
    }

    /** Reads the mapping from {@code lines}, as if they were {@code file}'s (errors name that file). */
    public static NtcipMapping parse(Path file, List<String> lines) {
        Map<String, Signal> signals = new LinkedHashMap<>();
        Builder current = null;
        List<Builder> builders = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String text = lines.get(i);
            int hash = commentStart(text);
            if (hash >= 0) {
                text = text.substring(0, hash);
            }
            text = text.strip();
            if (text.isEmpty()) {
                continue;
            }
            String[] w = text.split("\\s+");
            switch (w[0]) {
                case "signal" -> {
                    arity(file, lineNo, w, 3, "signal <engine signal id> <host>:<port>");
                    for (Builder b : builders) {
                        if (b.id.equals(w[1])) {
                            throw new NtcipConfigException(file, lineNo, "signal '" + w[1]
                                    + "' is already mapped on line " + b.line);
                        }
                    }
                    int colon = w[2].lastIndexOf(':');
                    if (colon <= 0 || colon == w[2].length() - 1) {
                        throw new NtcipConfigException(file, lineNo, "address '" + w[2]
                                + "' is not <host>:<port>");
                    }
                    int port = number(file, lineNo, w[2].substring(colon + 1), "port", 1, 65535);
                    current = new Builder(w[1], w[2].substring(0, colon), port, lineNo);
                    builders.add(current);
                }
                case "phase" -> {
                    arity(file, lineNo, w, 3, "phase <engine green phase index> <NTCIP phase number>");
                    requireSignal(file, lineNo, current, "phase");
                    int engine = number(file, lineNo, w[1], "engine green phase index", 0, PhaseGroups.MAX_PHASE - 1);
                    int ntcip = number(file, lineNo, w[2], "NTCIP phase number", 1, PhaseGroups.MAX_PHASE);
                    Integer earlier = current.phaseLine.get(engine);
                    if (earlier != null) {
                        throw new NtcipConfigException(file, lineNo, "engine green phase " + engine + " of signal '"
                                + current.id + "' is already mapped on line " + earlier);
                    }
                    for (Map.Entry<Integer, Integer> e : current.phases.entrySet()) {
                        if (e.getValue() == ntcip) {
                            throw new NtcipConfigException(file, lineNo, "NTCIP phase " + ntcip + " of signal '"
                                    + current.id + "' is already mapped on line " + current.phaseLine.get(e.getKey()));
                        }
                    }
                    current.phases.put(engine, ntcip);
                    current.phaseLine.put(engine, lineNo);
                }
                case "detector" -> {
                    arity(file, lineNo, w, 3, "detector <engine detector id> <NTCIP vehicle detector number>");
                    requireSignal(file, lineNo, current, "detector");
                    int number = number(file, lineNo, w[2], "NTCIP vehicle detector number", 1, PhaseGroups.MAX_PHASE);
                    Integer earlier = current.detectorLine.get(w[1]);
                    if (earlier != null) {
                        throw new NtcipConfigException(file, lineNo, "detector '" + w[1]
                                + "' is already mapped on line " + earlier);
                    }
                    for (Map.Entry<String, Integer> e : current.detectors.entrySet()) {
                        if (e.getValue() == number) {
                            throw new NtcipConfigException(file, lineNo, "NTCIP vehicle detector " + number
                                    + " of signal '" + current.id + "' is already mapped on line "
                                    + current.detectorLine.get(e.getKey()));
                        }
                    }
                    current.detectors.put(w[1], number);
                    current.detectorLine.put(w[1], lineNo);
                }
                case "mode" -> {
                    arity(file, lineNo, w, 2, "mode phase-control|pattern");
                    requireSignal(file, lineNo, current, "mode");
                    if (current.modeLine > 0) {
                        throw new NtcipConfigException(file, lineNo, "signal '" + current.id
                                + "' has its mode on line " + current.modeLine);
                    }
                    Mode m = Mode.of(w[1]);
                    if (m == null) {
                        throw new NtcipConfigException(file, lineNo, "mode '" + w[1]
                                + "' is not phase-control or pattern");
                    }
                    current.mode = m;
                    current.modeLine = lineNo;
                }
                case "max-cycle" -> {
                    arity(file, lineNo, w, 2, "max-cycle <seconds>");
                    requireSignal(file, lineNo, current, "max-cycle");
                    if (current.maxCycleLine > 0) {
                        throw new NtcipConfigException(file, lineNo, "signal '" + current.id
                                + "' has its max-cycle on line " + current.maxCycleLine);
                    }
                    current.maxCycleS = number(file, lineNo, w[1], "max-cycle", MIN_MAX_CYCLE_S, DEFAULT_MAX_CYCLE_S);
                    current.maxCycleLine = lineNo;
                }
                default -> throw new NtcipConfigException(file, lineNo, "unknown statement '" + w[0]
                        + "' (expected signal, phase, detector, mode or max-cycle)");
            }
        }
        if (builders.isEmpty()) {
            throw new NtcipConfigException(file, 0, "maps no signal (expected a line 'signal <id> <host>:<port>')");
        }
        for (Builder b : builders) {
            if (b.phases.isEmpty()) {
                throw new NtcipConfigException(file, b.line, "signal '" + b.id + "' maps no phase");
            }
            if (b.maxCycleLine > 0 && b.mode != Mode.PATTERN) {
                throw new NtcipConfigException(file, b.maxCycleLine, "max-cycle applies to mode pattern; signal '"
                        + b.id + "' runs mode " + b.mode.word() + (b.modeLine > 0 ? " (line " + b.modeLine + ")"
                        : " (give 'mode pattern')"));
            }
            for (Builder o : builders) {
                if (o != b && o.line < b.line && o.host.equals(b.host) && o.port == b.port) {
                    throw new NtcipConfigException(file, b.line, "signal '" + b.id + "' has the address "
                            + b.host + ":" + b.port + " of signal '" + o.id + "' (line " + o.line + ")");
                }
            }
            signals.put(b.id, b.build());
        }
        return new NtcipMapping(file, signals);
    }

    /**
     * Checks the mapping against the engine's model: every signal named exists, each of its green phases is mapped
     * exactly once and no phase beyond them is, and every detector named is one of the signal's.
     *
     * @param models           the engine's intersections by signal id
     * @param signalHasDetector whether detector id (second argument) belongs to the signal (first argument)
     */
    public void check(Map<String, IntersectionModel> models, java.util.function.BiPredicate<String, String> signalHasDetector) {
        for (Signal s : signals.values()) {
            IntersectionModel m = models.get(s.id);
            if (m == null) {
                throw new NtcipConfigException(file, s.line, "signal '" + s.id + "' is not one of the network's ("
                        + String.join(", ", models.keySet()) + ")");
            }
            int n = m.greenPhaseCount();
            for (int p = 0; p < s.ntcipPhase.length; p++) {
                if (s.ntcipPhase[p] != 0 && p >= n) {
                    throw new NtcipConfigException(file, s.phaseLines[p], "signal '" + s.id + "' has " + n
                            + " green phases (0.." + (n - 1) + "), not a phase " + p);
                }
            }
            for (int p = 0; p < n; p++) {
                if (p >= s.ntcipPhase.length || s.ntcipPhase[p] == 0) {
                    throw new NtcipConfigException(file, s.line, "signal '" + s.id + "': green phase " + p + " ("
                            + m.greenPhaseString(p) + ") is mapped to no NTCIP phase");
                }
            }
            if (s.mode == Mode.PATTERN) {
                double leastS = 0;
                for (int p = 0; p < n; p++) {
                    leastS += Splits.leastSplitS(m.effectiveMinGreenS(p), Splits.changeS(m, p, (p + 1) % n));
                }
                if (leastS > s.maxCycleS) {
                    throw new NtcipConfigException(file, s.maxCycleLine, "signal '" + s.id + "': its phases' minimum "
                            + "greens and changes take " + (int) leastS + " s, more than its max-cycle of "
                            + s.maxCycleS + " s");
                }
            }
            for (Map.Entry<String, Integer> d : s.detectorLines.entrySet()) {
                if (!signalHasDetector.test(s.id, d.getKey())) {
                    throw new NtcipConfigException(file, d.getValue(), "detector '" + d.getKey()
                            + "' is not a detector of signal '" + s.id + "'");
                }
            }
        }
    }

    /**
     * One signal numbered as {@link #write} numbers it (green phases 1, 2, ... in program order, detectors 1, 2, ... in
     * the order given), before its port is known (0): what an agent needs to serve its objects.
     */
    public static Signal numbered(String id, String host, int greenPhases, List<String> detectorIds) {
        int[] ntcip = new int[greenPhases];
        for (int p = 0; p < greenPhases; p++) {
            ntcip[p] = p + 1;
        }
        Map<String, Integer> detectors = new LinkedHashMap<>();
        for (int d = 0; d < detectorIds.size(); d++) {
            detectors.put(detectorIds.get(d), d + 1);
        }
        return new Signal(id, host, 0, ntcip, new int[greenPhases], java.util.Collections.unmodifiableMap(detectors),
                Map.of(), 0, Mode.PHASE_CONTROL, DEFAULT_MAX_CYCLE_S, 0);
    }

    /**
     * Writes a mapping in this file format: each signal's green phases numbered 1, 2, ... in program order and its
     * detectors 1, 2, ... in the order given, every signal in mode phase-control.
     */
    public static void write(Path out, List<String> signalIds, List<String> hosts, int[] ports, int[] greenPhases,
                             List<List<String>> detectorIds) throws IOException {
        write(out, signalIds, hosts, ports, greenPhases, detectorIds, Mode.PHASE_CONTROL);
    }

    /** As {@link #write(Path, List, List, int[], int[], List)}, every signal in {@code mode}. */
    public static void write(Path out, List<String> signalIds, List<String> hosts, int[] ports, int[] greenPhases,
                             List<List<String>> detectorIds, Mode mode) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("# Greenwave NTCIP mapping (docs/ntcip.md): signal <id> <host>:<port>, then\n"
                    + "# phase <engine green phase> <NTCIP phase> and detector <engine detector id> <NTCIP detector>;\n"
                    + "# mode phase-control (the default) or pattern\n");
            for (int s = 0; s < signalIds.size(); s++) {
                w.write(String.format(Locale.ROOT, "signal %s %s:%d%n", signalIds.get(s), hosts.get(s), ports[s]));
                for (int p = 0; p < greenPhases[s]; p++) {
                    w.write(String.format(Locale.ROOT, "phase %d %d%n", p, p + 1));
                }
                List<String> dets = detectorIds.get(s);
                for (int d = 0; d < dets.size(); d++) {
                    w.write(String.format(Locale.ROOT, "detector %s %d%n", dets.get(d), d + 1));
                }
                if (mode != Mode.PHASE_CONTROL) {
                    w.write("mode " + mode.word() + "\n");
                }
            }
        }
    }

    /**
     * Where a comment starts in {@code line}, or -1: a {@code #} at the start of the line or after a blank. Inside a
     * word it is part of the word: SUMO's ids have them (edge {@code -32038056#3}, its lane {@code -32038056#3_0}).
     */
    private static int commentStart(String line) {
        for (int i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
            if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    private static void arity(Path file, int line, String[] w, int n, String usage) {
        if (w.length != n) {
            throw new NtcipConfigException(file, line, "'" + w[0] + "' takes " + (n - 1) + " values: " + usage);
        }
    }

    private static void requireSignal(Path file, int line, Builder current, String what) {
        if (current == null) {
            throw new NtcipConfigException(file, line, "'" + what + "' before any 'signal' line");
        }
    }

    private static int number(Path file, int line, String text, String what, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new NtcipConfigException(file, line, what + " '" + text + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new NtcipConfigException(file, line, what + " " + v + " is not " + min + ".." + max);
        }
        return v;
    }

    private static final class Builder {
        final String id;
        final String host;
        final int port;
        final int line;
        final Map<Integer, Integer> phases = new LinkedHashMap<>();
        final Map<Integer, Integer> phaseLine = new LinkedHashMap<>();
        final Map<String, Integer> detectors = new LinkedHashMap<>();
        final Map<String, Integer> detectorLine = new LinkedHashMap<>();
        Mode mode = Mode.PHASE_CONTROL;
        int modeLine;
        int maxCycleS = DEFAULT_MAX_CYCLE_S;
        int maxCycleLine;

        Builder(String id, String host, int port, int line) {
            this.id = id;
            this.host = host;
            this.port = port;
            this.line = line;
        }

        Signal build() {
            int n = 0;
            for (int p : phases.keySet()) {
                n = Math.max(n, p + 1);
            }
            int[] ntcip = new int[n];
            int[] lines = new int[n];
            for (Map.Entry<Integer, Integer> e : phases.entrySet()) {
                ntcip[e.getKey()] = e.getValue();
                lines[e.getKey()] = phaseLine.get(e.getKey());
            }
            return new Signal(id, host, port, ntcip, lines,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detectors)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detectorLine)), line, mode, maxCycleS,
                    maxCycleLine > 0 ? maxCycleLine : line);
        }
    }
}
