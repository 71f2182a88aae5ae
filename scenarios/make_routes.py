#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the demand (route file) of a Greenwave SUMO scenario.

    python3 make_routes.py intersection > intersection/intersection.rou.xml
    python3 make_routes.py corridor     > corridor/corridor.rou.xml

Demand is given as peak-hour rates (veh/h) per origin-destination pair. The
hour is cut into twelve 5-minute slices whose rates follow PROFILE (a factor
of the peak rate): a 15-minute ramp up, a 30-minute peak and a 15-minute ramp
down. Every origin-destination pair and slice becomes one <flow> with
exponentially distributed headways (period="exp(rate)"), i.e. Poisson
arrivals: the departures are drawn by SUMO, so the realisation changes with
SUMO's --seed and is reproduced by the same seed. The vehicle type of each
departure is drawn from the "mix" distribution, again by SUMO.

The output depends only on the tables in this file (standard library only).
"""

import sys

SLICE_S = 300
# Factor of the peak rate in each 5-minute slice, 0:00-1:00.
PROFILE = (0.50, 0.65, 0.80,
           1.00, 1.00, 1.00, 1.00, 1.00, 1.00,
           0.80, 0.65, 0.50)

# Vehicle types: SUMO's per-class defaults (Krauss, sigma 0.5; speedDev 0.1
# for cars, 0.05 for trucks, 0 for buses), written out explicitly.
VTYPES = (
    ("car", "passenger", 0.95, 'length="5.00" minGap="2.50" accel="2.6" decel="4.5" sigma="0.5" speedDev="0.1"'),
    ("truck", "truck", 0.03, 'length="7.10" minGap="2.50" accel="1.3" decel="4.0" sigma="0.5" speedDev="0.05"'),
    ("bus", "bus", 0.02, 'length="12.00" minGap="2.50" accel="1.2" decel="4.0" sigma="0.5" speedDev="0.0"'),
)


# --------------------------------------------------------------------------
# Isolated intersection (intersection/): major road W-E, minor road N-S.
# Approach edges: X_in (+ X_in_bay on the major road), exit edges: X_out.

def intersection():
    approach = {"W": "W_in W_in_bay", "E": "E_in E_in_bay", "N": "N_in", "S": "S_in"}
    # (origin, destination): peak rate in veh/h
    peak = {
        # eastbound (from W): through, right, left
        ("W", "E"): 1000, ("W", "S"): 110, ("W", "N"): 140,
        # westbound (from E)
        ("E", "W"): 700, ("E", "N"): 90, ("E", "S"): 120,
        # northbound (from S)
        ("S", "N"): 210, ("S", "E"): 75, ("S", "W"): 60,
        # southbound (from N)
        ("N", "S"): 170, ("N", "W"): 70, ("N", "E"): 50,
    }
    routes = []
    for (o, d), rate in peak.items():
        routes.append(("%s_%s" % (o, d), "%s %s_out" % (approach[o], d), rate))
    return routes


# --------------------------------------------------------------------------
# Arterial corridor (corridor/): arterial W-E with signals J1..J5; side
# streets Ni (north) and Si (south) at Ji. Eastbound edges eb_k leave J_k
# (J_0 = W), westbound edges wb_k leave J_k (J_6 = E); an approach to a signal
# ends in its bay section (<edge>_bay).

def corridor_route(o, d):
    """Edges from origin o to destination d (W, E, N1..N5, S1..S5)."""
    pos = {"W": 0, "E": 6}
    p = pos[o] if o in pos else int(o[1:])
    q = pos[d] if d in pos else int(d[1:])
    edges = [] if o in pos else ["%s%d_in" % (o[0].lower(), p)]
    if q > p:
        for k in range(p, q):
            edges += ["eb_%d" % k] + (["eb_%d_bay" % k] if k < 5 else [])
    elif q < p:
        for k in range(p, q, -1):
            edges += ["wb_%d" % k] + (["wb_%d_bay" % k] if k > 1 else [])
    if d not in pos:
        edges.append("%s%d_out" % (d[0].lower(), q))
    return " ".join(edges)


def corridor():
    peak = {("W", "E"): 700, ("E", "W"): 460}   # arterial end to end, 60/40
    for i in range(1, 6):
        n, s = "N%d" % i, "S%d" % i
        # eastbound arterial traffic turning off at Ji: left (north), right (south)
        peak[("W", n)] = 35
        peak[("W", s)] = 35
        # westbound arterial traffic turning off at Ji: right (north), left (south)
        peak[("E", n)] = 25
        peak[("E", s)] = 25
        # side streets: onto the arterial eastbound / westbound, and across
        peak[(n, "E")] = 50
        peak[(n, "W")] = 40
        peak[(n, s)] = 90
        peak[(s, "E")] = 50
        peak[(s, "W")] = 40
        peak[(s, n)] = 90
    return [("%s_%s" % (o, d), corridor_route(o, d), rate) for (o, d), rate in peak.items()]


# --------------------------------------------------------------------------

SCENARIOS = {"intersection": intersection, "corridor": corridor}


def write(name, out):
    routes = SCENARIOS[name]()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<!-- Demand of the Greenwave "%s" scenario, written by make_routes.py.\n' % name)
    w('     Peak rates (veh/h) per origin-destination pair, scaled per 5-minute slice by\n')
    w('     %s. -->\n' % " ".join("%.2f" % f for f in PROFILE))
    w('<routes xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:noNamespaceSchemaLocation="http://sumo.dlr.de/xsd/routes_file.xsd">\n')
    w('    <vTypeDistribution id="mix">\n')
    for vid, vclass, share, attrs in VTYPES:
        w('        <vType id="%s" vClass="%s" probability="%.2f" %s/>\n' % (vid, vclass, share, attrs))
    w('    </vTypeDistribution>\n')
    w('\n')
    for rid, edges, rate in routes:
        w('    <route id="%s" edges="%s"/> <!-- peak %d veh/h -->\n' % (rid, edges, rate))
    for k, factor in enumerate(PROFILE):
        begin, end = k * SLICE_S, (k + 1) * SLICE_S
        w('\n    <!-- minute %d-%d: %.0f%% of peak -->\n' % (begin // 60, end // 60, factor * 100))
        for rid, _, rate in routes:
            per_s = rate * factor / 3600.0
            w('    <flow id="%s.%02d" type="mix" route="%s" begin="%d" end="%d" '
              'period="exp(%.6f)" departLane="best" departSpeed="max"/>\n'
              % (rid, k, rid, begin, end, per_s))
    w('</routes>\n')


def main(argv):
    if len(argv) != 2 or argv[1] not in SCENARIOS:
        sys.stderr.write("usage: make_routes.py {%s}\n" % ",".join(sorted(SCENARIOS)))
        return 2
    write(argv[1], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
