"""`summitbot corpus build|check`: the annotated corpus's split files and its counts."""

from __future__ import annotations

from pathlib import Path

import click

from bot.corpus import CorpusError, counts, gather, problems, read_jsonl, write_counts, write_splits

ROOT = Path(__file__).resolve().parent.parent
# Gold files that were read while the rules were written: train or dev only, never test.
OLDER_GOLD = ("tests/data/positives.jsonl", "tests/data/negatives.jsonl")


def register(cli: click.Group) -> None:
    cli.add_command(corpus)


@click.group()
def corpus() -> None:
    """The annotated corpus in corpus/ (see corpus/README.md)."""


@corpus.command()
@click.option("--dir", "root", default=str(ROOT / "corpus"), show_default=True, type=click.Path(file_okay=False),
              help="The corpus folder (parts/ inside).")
@click.option("--shared", default=str(ROOT.parent / "shared" / "eval"), show_default=True,
              help="Folder of the shared gold files (dev.jsonl, seeds.jsonl); they go to train or dev.")
def build(root: str, shared: str) -> None:
    """Merge parts/ and the older gold files into train/dev/test.jsonl; update README counts."""
    base = Path(root)
    older = [ROOT / p for p in OLDER_GOLD] + [p for p in (Path(shared) / "dev.jsonl", Path(shared) / "seeds.jsonl")
                                               if p.exists()]
    try:
        splits = gather(base, older)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    write_splits(base, splits)
    readme = base / "README.md"
    if readme.exists():
        write_counts(readme, counts(splits))
    click.echo(" ".join(f"{name}: {len(rows)}" for name, rows in splits.items()))


@corpus.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check(files: tuple[str, ...]) -> None:
    """Check annotated JSONL files; exit status 1 when any article is wrong."""
    bad = 0
    for name in files:
        try:
            rows = read_jsonl(Path(name))
        except CorpusError as exc:
            raise click.ClickException(str(exc)) from None
        for row in rows:
            for problem in problems(row):
                click.echo(f"{name}: {row.get('id')}: {problem}")
                bad += 1
    click.echo(f"{bad} problems")
    if bad:
        raise SystemExit(1)
