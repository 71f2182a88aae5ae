#!/usr/bin/env python3
"""Builds Greenwave's generated scenario corpus with SUMO's own tools (netgenerate, randomTrips/duarouter).

Usage: corpus.py OUT_DIR [NAME ...]   build every scenario (or the named ones) into OUT_DIR/<name>/
       corpus.py --list               print the scenario names, one per line

Every scenario is a folder with exactly one <name>.sumocfg (net, routes, additional files, begin 0, end 1800, and no
outputs). Everything is drawn with fixed seeds, so a rebuild gives the same files. See README.md beside this file.
"""
import os
import re
import subprocess
import sys

SUMO_HOME = os.environ.get("SUMO_HOME", "/usr/share/sumo")
RANDOM_TRIPS = os.path.join(SUMO_HOME, "tools", "randomTrips.py")
WINDOW_S = 1800
CAPACITY_SHARE = 0.4

# Networks: name -> (netgenerate options, post-processing of the programs or None, nominal entry capacity veh/h).
# The capacity is a rough figure (entry lanes x 600 veh/h) from which the demand levels below are scaled; trips cross
# several signals and conflicting streams, so the network carries about CAPACITY_SHARE of it (calibrated once: at
# "near", the nets' own programs run close to saturation, without gridlock).
COMMON = ["--no-turnarounds", "true", "--tls.guess", "true", "--junctions.join", "false"]
NETS = {
    "grid2x2": (["--grid", "--grid.number", "2", "--grid.length", "200", "--grid.attach-length", "200",
                 "-L", "1", "-j", "traffic_light"], None, 8 * 600),
    "grid3x3-protected-left": (["--grid", "--grid.number", "3", "--grid.length", "250", "--grid.attach-length", "200",
                                "-L", "2", "--turn-lanes", "1", "--turn-lanes.length", "60",
                                "--tls.left-green.time", "8", "-j", "traffic_light"], None, 12 * 2 * 600),
    "grid3x3-actuated": (["--grid", "--grid.number", "3", "--grid.length", "200", "--grid.attach-length", "150",
                          "-L", "2", "--tls.default-type", "actuated", "--tls.min-dur", "5", "--tls.max-dur", "45",
                          "-j", "traffic_light"], None, 12 * 2 * 600),
    "grid4x4-short-links": (["--grid", "--grid.number", "4", "--grid.length", "55", "--grid.attach-length", "150",
                             "-L", "1", "-j", "traffic_light"], None, 16 * 600),
    "spider-actuated": (["--spider", "--spider.arm-number", "5", "--spider.circle-number", "2",
                         "--spider.space-radius", "150", "-L", "2", "--tls.default-type", "actuated",
                         "-j", "traffic_light"], None, 5 * 2 * 600),
    "random-static": (["--rand", "--rand.iterations", "30", "--rand.min-distance", "120", "--rand.max-distance", "300",
                       "--rand.grid", "-L", "2", "--random-lanenumber", "--tls.guess.threshold", "40"], None, 10 * 600),
    "arterial-opposites": (["--grid", "--grid.x-number", "5", "--grid.y-number", "1", "--grid.x-length", "180",
                            "--grid.attach-length", "200", "-L", "2", "--turn-lanes", "1", "--turn-lanes.length", "40",
                            "--tls.layout", "opposites", "-j", "traffic_light"], None, 12 * 600),
    "crossings-pedestrians": (["--grid", "--grid.number", "2", "--grid.length", "150", "--grid.attach-length", "150",
                               "-L", "2", "--sidewalks.guess", "true", "--crossings.guess", "true",
                               "-j", "traffic_light"], None, 8 * 2 * 600),
    "city-program-letters": (["--grid", "--grid.x-number", "3", "--grid.y-number", "2", "--grid.length", "200",
                              "--grid.attach-length", "150", "-L", "2", "-j", "traffic_light"], "letters", 10 * 2 * 600),
}

# Demand: name -> (share of the nominal capacity per window third; a single value is steady).
DEMANDS = {
    "light": [0.3],
    "near": [0.9],
    "over": [1.25],
    "peaked": [0.4, 1.2, 0.5],
}

# Which demands each network gets (names are "<net>-<demand>").
PLAN = {
    "grid2x2": ["light", "near", "over"],
    "grid3x3-protected-left": ["light", "near", "peaked"],
    "grid3x3-actuated": ["near", "over", "peaked"],
    "grid4x4-short-links": ["light", "near", "over"],
    "spider-actuated": ["light", "near", "peaked"],
    "random-static": ["light", "near", "over"],
    "arterial-opposites": ["near", "over", "peaked"],
    "crossings-pedestrians": ["light", "near"],
    "city-program-letters": ["light", "near", "peaked"],
}


def scenarios():
    return [net + "-" + d for net in NETS for d in PLAN[net]]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit("corpus: %s failed (exit %d) in %s:\n%s" % (" ".join(cmd), p.returncode, cwd, p.stdout[-3000:]))
    return p.stdout


def letters_program(net_file, add_file):
    """Writes, for every signal of the net, the net's own program again under programID 'city' with SUMO's other
    state letters: ambers as 'Y' (yellow major) where the link had a protected green, one second of 'u' (red-amber)
    before each green, right turns on red as 's' (stop, then go), and one extra state index that no connection uses
    (shown 'O', off). Loaded after the net, it is the program SUMO runs."""
    text = open(net_file).read()
    rights = {}
    for m in re.finditer(r'<connection [^>]*tl="([^"]+)" linkIndex="(\d+)" dir="r"', text):
        rights.setdefault(m.group(1), set()).add(int(m.group(2)))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<additional>"]
    for m in re.finditer(r'<tlLogic id="([^"]+)" type="static" programID="0" offset="0">(.*?)</tlLogic>', text, re.S):
        tls, body = m.group(1), m.group(2)
        phases = re.findall(r'<phase duration="([\d.]+)"\s+state="([^"]+)"', body)
        out.append('    <tlLogic id="%s" type="static" programID="city" offset="0">' % tls)
        prev = phases[-1][1]
        for dur, state in phases:
            s = list(state)
            if "y" in state:
                for i, c in enumerate(s):
                    if c == "y" and prev[i] == "G":
                        s[i] = "Y"
            gains = [i for i, c in enumerate(state) if c in "Gg" and prev[i] not in "Gg"]
            if gains and "y" not in state:
                # One second of red-amber on the links about to turn green; the others as the green shows them.
                pre = ["u" if i in gains else ("r" if c in "yY" else c) for i, c in enumerate(state)]
                out.append('        <phase duration="1" state="%s"/>' % ("".join(pre) + "O"))
                dur = str(max(1.0, float(dur) - 1))
            for i in rights.get(tls, ()):
                if s[i] == "r":
                    s[i] = "s"
            out.append('        <phase duration="%s" state="%s"/>' % (dur, "".join(s) + "O"))
            prev = state
        out.append("    </tlLogic>")
    out.append("</additional>")
    open(add_file, "w").write("\n".join(out) + "\n")


def build(out_dir, name):
    net_name, demand = name.rsplit("-", 1)
    opts, post, capacity = NETS[net_name]
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    net = name + ".net.xml"
    run(["netgenerate"] + opts + COMMON + ["-o", net, "--seed", "42"], d)
    adds = []
    if post == "letters":
        letters_program(os.path.join(d, net), os.path.join(d, name + ".tls.add.xml"))
        adds.append(name + ".tls.add.xml")
    shares = DEMANDS[demand]
    periods = ["%.3f" % (3600.0 / (share * capacity * CAPACITY_SHARE)) for share in shares]
    seed = sum(ord(c) for c in name)
    routes = [name + ".rou.xml"]
    run([sys.executable, RANDOM_TRIPS, "-n", net, "-o", name + ".trips.xml", "-r", name + ".rou.xml",
         "--seed", str(seed), "-b", "0", "-e", str(WINDOW_S), "-p"] + periods
        + ["--fringe-factor", "20", "--min-distance", "250", "--prefix", "v", "--validate"], d)
    if net_name == "crossings-pedestrians":
        run([sys.executable, RANDOM_TRIPS, "-n", net, "-o", name + ".walks.xml", "-r", name + ".persons.rou.xml",
             "--seed", str(seed + 1), "-b", "0", "-e", str(WINDOW_S), "-p", "4", "--pedestrians",
             "--max-distance", "600", "--prefix", "p"], d)
        routes.append(name + ".persons.rou.xml")
    for f in os.listdir(d):
        if f.endswith(".trips.xml") or f.endswith(".walks.xml") or f.endswith(".alt.xml"):
            os.remove(os.path.join(d, f))
    cfg = ['<?xml version="1.0" encoding="UTF-8"?>', "<configuration>", "    <input>",
           '        <net-file value="%s"/>' % net, '        <route-files value="%s"/>' % ",".join(routes)]
    if adds:
        cfg.append('        <additional-files value="%s"/>' % ",".join(adds))
    cfg += ["    </input>", "    <time>", '        <begin value="0"/>', '        <end value="%d"/>' % WINDOW_S,
            "    </time>", "</configuration>"]
    open(os.path.join(d, name + ".sumocfg"), "w").write("\n".join(cfg) + "\n")


def main(argv):
    if argv == ["--list"]:
        print("\n".join(scenarios()))
        return
    if not argv:
        sys.exit(__doc__)
    out_dir, names = os.path.abspath(argv[0]), argv[1:] or scenarios()
    for n in names:
        if n not in scenarios():
            sys.exit("corpus: no scenario '%s'; known: %s" % (n, ", ".join(scenarios())))
    for n in names:
        build(out_dir, n)
        print(n)


if __name__ == "__main__":
    main(sys.argv[1:])
