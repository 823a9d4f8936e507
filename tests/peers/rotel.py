"""Run the rotel-agent OTLP collector (shipped in the PyPI `rotel` wheel) in the foreground.

    .peers/venv/bin/python tests/peers/rotel.py --grpc-port P --http-port P2 --log FILE

exec()s rotel-agent (the PID stays the same, so the caller can SIGTERM it) listening on
127.0.0.1:P (OTLP gRPC) and 127.0.0.1:P2 (OTLP HTTP, POST /v1/traces), printing every received
trace to FILE via `--debug-log traces`, exporting to a blackhole (nothing leaves the machine).
Port 0 is rejected: rotel-agent 0.0.1-alpha10 panics on it. See README.md for the log format.
"""
import argparse
import os
import sys
import sysconfig
from pathlib import Path


def agent_path():
    # Not importlib: this script's own name shadows the `rotel` package on sys.path.
    for lib in dict.fromkeys((sysconfig.get_path("platlib"), sysconfig.get_path("purelib"))):
        binary = Path(lib) / "rotel" / "rotel-agent"
        if binary.is_file():
            return binary
    sys.exit(f"rotel.py: no rotel/rotel-agent under {sys.prefix} (run scripts/setup-peers.sh)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--grpc-port", type=int, required=True)
    p.add_argument("--http-port", type=int, required=True)
    p.add_argument("--log", required=True, help='file for rotel\'s stdout+stderr (truncated); "-" = inherit')
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--verbosity", choices=["basic", "detailed"], default="detailed",
                   help="--debug-log-verbosity (basic prints only counts)")
    p.add_argument("--log-format", choices=["text", "json"], default="text")
    p.add_argument("--disable-batching", action="store_true", help="pass --disable-batching to rotel-agent (the debug log is written on receipt either way)")
    p.add_argument("--print-command", action="store_true", help="print the command line and exit")
    args = p.parse_args()
    for port in (args.grpc_port, args.http_port):
        if not 0 < port < 65536:
            p.error(f"port {port}: pick a free port > 0 (rotel-agent panics on port 0)")

    binary = agent_path()
    argv = [str(binary), "--log-format", args.log_format, "start",
            "--otlp-grpc-endpoint", f"{args.host}:{args.grpc_port}",
            "--otlp-http-endpoint", f"{args.host}:{args.http_port}",
            "--debug-log", "traces", "--debug-log-verbosity", args.verbosity,
            "--exporter", "blackhole"]
    if args.disable_batching:
        argv.append("--disable-batching")
    if args.print_command:
        print(" ".join(argv))
        return

    # Every flag can also come from a ROTEL_* variable; drop inherited ones so only argv counts.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROTEL_")}
    env["NO_COLOR"] = "1"  # plain text log, no ANSI escapes
    if args.log != "-":
        fd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    os.execve(str(binary), argv, env)


if __name__ == "__main__":
    main()
