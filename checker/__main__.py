"""``python -m checker`` and the ``k12check`` console script.

``k12check --version`` answers before Typer, Rich and the command modules are
imported (DESIGN §7: under 0.3 s); everything else goes to :func:`checker.cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point (exit codes 0/1/2, DESIGN §4)."""
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"k12check {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
