"""The `digest-search` console script: the index commands plus `serve`."""

from __future__ import annotations

from indexer.cli import cli


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
