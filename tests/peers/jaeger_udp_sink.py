"""Capture UDP datagrams on 127.0.0.1 (stand-in for a Jaeger agent's 6831/6832 port).

Prints {"ready": true, "port": P, "pid": N} on stdout once bound, then one JSON line per datagram
{"n": i, "len": L, "hex": "...", "from_port": p, "received_unix_nano": t} to --out (default stdout),
then {"done": true, "received": k, "timed_out": bool}. Stops after --count datagrams (0 = no limit)
or --timeout seconds, whichever comes first.
"""
import argparse
import json
import os
import socket
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--count", type=int, default=1, help="stop after this many datagrams (0 = until timeout)")
    p.add_argument("--timeout", type=float, default=10, help="overall time limit in seconds")
    p.add_argument("--out", help="file for datagram lines (truncated); default stdout")
    args = p.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(("127.0.0.1", args.port))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    print(json.dumps({"ready": True, "port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)

    deadline = time.monotonic() + args.timeout
    received, timed_out = 0, False
    while args.count == 0 or received < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        sock.settimeout(left)
        try:
            data, addr = sock.recvfrom(65535)
        except socket.timeout:
            timed_out = True
            break
        received += 1
        out.write(json.dumps({"n": received, "len": len(data), "hex": data.hex(), "from_port": addr[1],
                              "received_unix_nano": time.time_ns()}) + "\n")
        out.flush()
    out.write(json.dumps({"done": True, "received": received, "timed_out": timed_out}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
