"""``python -m mastodon.testing``: serve an in-memory Mastodon for a bot in another process."""

import argparse
import signal
import sys
import threading


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m mastodon.testing",
        description="Run an in-memory Mastodon 4.5 server (mastodon.testing) until interrupted.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="port to listen on, 0 for any free one (default: 3000)")
    parser.add_argument("--account", action="append", default=[], metavar="NAME",
                        help="create this account and print an access token for it (repeatable)")
    parser.add_argument("--sign-in", metavar="NAME",
                        help="the account that approves OAuth authorization requests (created if missing)")
    parser.add_argument("--no-rate-limits", action="store_true", help="never answer 429 on its own accord")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="seconds between stream heartbeats")
    args = parser.parse_args(argv)

    from .server import FakeMastodon

    server = FakeMastodon(args.host, args.port, rate_limits=not args.no_rate_limits, heartbeat=args.heartbeat)
    try:
        server.start()
    except OSError as error:
        print(f"Cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"mastodon.testing: Mastodon 4.5 stand-in at {server.url} (Ctrl-C or SIGTERM stops it)", flush=True)
    for name in args.account:
        print(f"account @{name}: access token {server.create_account(name)}", flush=True)
    if args.sign_in:
        server.sign_in(args.sign_in)
        print(f"@{args.sign_in} approves authorization requests at {server.url}/oauth/authorize", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
