"""``python -m tests.auxil.botapi``: run the emulator as its own process, as ``BotApiProcess`` does."""

from __future__ import annotations

import argparse
import asyncio
import signal

from tests.auxil.botapi.emulator import BotApiEmulator
from tests.auxil.botapi.records import DEFAULT_USERNAME, TEST_TOKEN


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    emulator = BotApiEmulator(args.token, host=args.host, port=args.port, username=args.username)
    async with emulator:
        print(emulator.port, flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Run the emulator until SIGTERM/SIGINT, printing its port on the first line of stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.auxil.botapi", description="A local Telegram Bot API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--token", default=TEST_TOKEN, help="the bot token it accepts")
    parser.add_argument("--username", default=DEFAULT_USERNAME, help="the bot's username")
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
