"""The ``khabri`` command line; ``main`` is its entry point (``khabri = "bot.cli:main"``, ``python -m bot``).

``parser`` holds the argparse tree and ``main``; ``commands`` runs the subcommands on an open archive
(``run``, ``ask``, ``ingest``, ``reports``, ``show``, and the ``feeds`` ones whose parser lives beside
their code); ``chat`` is ``khabri chat``, the terminal chat; ``trial`` is ``khabri try``, the real bot
against the local Bot API emulator; ``tools`` finds ``eval`` and ``bench``, which the development tools
(``tools/``, not shipped) provide through entry points.
"""

from bot.cli.parser import main

__all__ = ["main"]
