#!/usr/bin/env python3
# What SUMO itself spends answering a TraCI client, per way of reading detectors: SUMO subscriptions against get
# commands sent in one message after each step (what Greenwave's TraCI client does for detectors and traffic lights).
# A minimal client speaking TraCI over a socket (Python standard library only) steps grid4x4 with the detectors
# Greenwave generates for it, reading every induction loop (vehicle data), lane-area detector (vehicles, halting, jam
# length) and traffic light (state) each step, and reports SUMO's own CPU time (from /proc) or, under callgrind, its
# instruction count, which does not depend on the machine's load.
#
# Usage: benchmarks/traci-cost.py DETECTORS.add.xml [--steps N] [--callgrind] [--modes "none sub get"]
#   DETECTORS.add.xml: the greenwave.det.add.xml of a grid4x4 run (any `greenwave simulate` run folder has one).
#   none: steps only; sub: SUMO subscriptions; get: one message of get commands after each step.
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "scenarios")
CFG = os.path.join(SHARED, "resco", "grid4x4", "grid4x4.sumocfg")


def command(cid, body):
    n = len(body) + 2
    return struct.pack("!BB", n, cid) + body if n <= 255 else struct.pack("!BiB", 0, n + 4, cid) + body


def string(s):
    b = s.encode()
    return struct.pack("!i", len(b)) + b


def run(mode, detectors, steps, callgrind):
    text = open(detectors).read()
    loops = re.findall(r'inductionLoop id="([^"]+)"', text)
    areas = re.findall(r'laneAreaDetector id="([^"]+)"', text)
    port = 40000 + os.getpid() % 10000
    out = tempfile.mkdtemp(prefix="traci-cost.")
    prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out + "/callgrind.out"] if callgrind else []
    sumo = subprocess.Popen(prefix + ["sumo", "-c", CFG, "--seed", "1", "--no-step-log", "--time-to-teleport", "-1",
                                      "-a", detectors, "--remote-port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        try:
            sock = socket.create_connection(("127.0.0.1", port))
            break
        except OSError:
            time.sleep(0.05)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def receive(n):
        b = bytearray()
        while len(b) < n:
            chunk = sock.recv(n - len(b))
            if not chunk:
                raise EOFError("SUMO closed the connection")
            b += chunk
        return b

    def exchange(commands):
        msg = b"".join(commands)
        sock.sendall(struct.pack("!i", len(msg) + 4) + msg)
        return receive(struct.unpack("!i", receive(4))[0] - 4)

    tls = exchange([command(0xa2, bytes([0x00]) + string(""))])
    # The id list answer: status (7 bytes), then [len (1, or 0 and 4)][0xb2][0x00][id ""][type 0x0e][count][ids].
    header = 1 if tls[7] else 5
    body = tls[7 + header + 1 + 1 + 4 + 1:]
    count = struct.unpack("!i", body[:4])[0]
    ids, pos = [], 4
    for _ in range(count):
        n = struct.unpack("!i", body[pos:pos + 4])[0]
        ids.append(body[pos + 4:pos + 4 + n].decode())
        pos += 4 + n
    gets = []
    if mode == "sub":
        forever = struct.pack("!dd", -2.0 ** 30, -2.0 ** 30)  # from now, to the end
        subs = [command(0xd2, forever + string(t) + bytes([1, 0x20])) for t in ids]
        subs += [command(0xd0, forever + string(d) + bytes([1, 0x17])) for d in loops]
        subs += [command(0xdd, forever + string(d) + bytes([3, 0x10, 0x14, 0x19])) for d in areas]
        for i in range(0, len(subs), 50):
            exchange(subs[i:i + 50])
    elif mode == "get":
        gets = [command(0xa2, bytes([0x20]) + string(t)) for t in ids]
        gets += [command(0xa0, bytes([0x17]) + string(d)) for d in loops]
        gets += [command(0xad, bytes([v]) + string(d)) for d in areas for v in (0x10, 0x14, 0x19)]
    received = 0
    for t in range(1, steps + 1):
        received += len(exchange([command(0x02, struct.pack("!d", float(t)))]))
        if gets:
            received += len(exchange(gets))
    with open("/proc/%d/stat" % sumo.pid) as f:
        stat = f.read().split()
    exchange([command(0x7F, b"")])
    sock.close()
    sumo.wait()
    cpu = (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")
    line = "%-5s %d steps, %d loops, %d lane areas, %d signals: %.1f MB received, SUMO CPU %.2f s" % (
        mode, steps, len(loops), len(areas), len(ids), received / 1e6, cpu)
    if callgrind:
        with open(out + "/callgrind.out") as f:
            total = next(int(l.split()[1]) for l in f if l.startswith("summary:"))
        line += ", SUMO instructions %.2f G" % (total / 1e9)
    print(line, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("detectors")
    p.add_argument("--steps", type=int, default=3600)
    p.add_argument("--callgrind", action="store_true")
    p.add_argument("--modes", default="none sub get")
    a = p.parse_args()
    if "SUMO_HOME" not in os.environ:
        os.environ["SUMO_HOME"] = "/usr/share/sumo"
    for mode in a.modes.split():
        if mode not in ("none", "sub", "get"):
            sys.exit("unknown mode " + mode)
        run(mode, a.detectors, a.steps, a.callgrind)


if __name__ == "__main__":
    main()
