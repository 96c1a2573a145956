"""The `summitbot` command line: parses options, calls the library, prints results."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from bot.config import ConfigError, Settings, load_settings, parse_now
from bot.logs import configure_logging, log_format

log = logging.getLogger(__name__)


class AppState:
    """What every subcommand gets: the settings (with --now applied) and the database path."""

    def __init__(self, settings: Settings, db_path: str):
        self.settings = settings
        self.db_path = db_path

    def store(self):
        from bot.store import Store

        return Store(self.db_path)

    def now(self) -> datetime:
        return self.settings.now or datetime.now(timezone.utc)

    def extractor(self):
        """The extractor for commands registered from other modules (they never import bot.cli)."""
        return _extractor()


def _iso(value: str | None, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_now(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="SQLite database (default: $SUMMITBOT_DB or config).")
@click.option("--now", "now", metavar="ISO", help="Run as of this date/time (also $SUMMITBOT_NOW).")
@click.option("--config", "config_path", metavar="FILE",
              help="Settings file (default: $SUMMITBOT_CONFIG or config/summitbot.toml).")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.version_option(package_name="summitbot")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, now: str | None, config_path: str | None, verbose: int) -> None:
    """summitbot: reads news about diplomatic summits and tells your channels before they happen."""
    try:
        configure_logging(logging.WARNING - 10 * min(verbose, 2), log_format(os.environ))
        settings = load_settings(config_path)
    except ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None
    if now:
        settings = settings.with_(now=_iso(now, "--now"))
    ctx.obj = AppState(settings, db_path or settings.db)


def _extractor(**options):
    from bot.extract import Extractor

    return Extractor(**options)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", metavar="ISO", help="Publication date for articles that carry none.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_obj
def ingest(state: AppState, paths: tuple[str, ...], published: str | None, as_json: bool, quiet: bool) -> None:
    """Read articles (files, folders, URLs) into the database and extract their meetings.

    Exits 1 when every item failed, 0 when at least one was read (the failures are listed).
    """
    from bot.pipeline import Ingestor

    when = _iso(published, "--published")
    ingestor = Ingestor(state.store(), _extractor(), settings=state.settings)
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    report = ingestor.ingest_paths(list(paths), published=when, progress=show_bar)
    if as_json:
        click.echo(json.dumps(report.to_json()))
    else:
        click.echo(report.summary())
        for origin, reason in report.skipped:
            click.echo(f"  skipped {origin}: {reason}", err=True)
        for origin, reason in report.failed:
            click.echo(f"  failed  {origin}: {reason}", err=True)
    if report.all_failed:  # a script or a supervisor must see that nothing was read
        click.echo("summitbot: every item failed; nothing was read", err=True)
        raise SystemExit(1)


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per article (the default).")
@click.option("--published", metavar="ISO", help="Publication date for articles that carry none.")
def extract(files: tuple[str, ...], as_json: bool, published: str | None) -> None:
    """Extract meetings from articles without a database: one JSON line per article."""
    from bot.sources import read_articles

    extractor = _extractor()
    when = _iso(published, "--published")
    for result in read_articles(list(files), published=when):
        if result.article is None:
            click.echo(json.dumps({"id": result.origin, "error": result.error, "meetings": []}))
            continue
        art = result.article
        if art.published is None:
            click.echo(json.dumps({"id": art.id, "error": "no publication date", "meetings": []}))
            continue
        try:
            meetings = extractor.extract(art)
        except Exception as exc:  # one broken article never stops the batch
            log.exception("extraction failed for %s", art.id)
            click.echo(json.dumps({"id": art.id, "error": f"extraction failed: {exc}", "meetings": []}))
            continue
        click.echo(json.dumps({"id": art.id, "meetings": [m.to_json() for m in meetings]}, ensure_ascii=False))


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False),
              help="Score this `extract --json` output instead of extracting now.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--verbose", is_flag=True, help="List every miss and false positive.")
@click.option("--ablate", is_flag=True,
              help="Score with every rule family on, then once with each family off; print a Markdown table "
                   "(F1, precision, recall, and the places and exact dates right, without each family).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="With --ablate: also write the table here.")
def eval_(gold: str, predictions: str | None, as_json: bool, verbose: bool, ablate: bool,
          out_path: str | None) -> None:
    """Score extraction against a gold JSONL file (format: shared/eval/SCHEMA.md)."""
    from bot.evaluate import format_report, load_gold, score

    if out_path and not ablate:
        raise click.UsageError("--out goes with --ablate")
    if ablate and predictions:
        raise click.UsageError("--ablate extracts with rule families switched off: it cannot score --predictions")
    try:
        articles = load_gold(gold)
    except ValueError as exc:  # the message names the file and line
        raise click.ClickException(str(exc)) from None
    if ablate:
        _ablate(gold, articles, out_path)
        return
    predicted = _read_predictions(predictions) if predictions else _gold_articles(gold, articles)(frozenset())
    result = score(articles, predicted)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(format_report(result, verbose=verbose))


def _gold_articles(gold: str, articles: list[dict], reuse_parses: bool = False):
    """predict(disabled) for the articles of a gold file: article id -> the meetings extracted with those
    rule families switched off (no meetings for an article without a publication date). reuse_parses:
    spaCy parses each sentence once for all the calls."""
    from bot.sources import ArticleError, article_from_record

    ids, dated = [], []
    for number, rec in enumerate(articles, start=1):
        rec_id = str(rec.get("id")) if isinstance(rec, dict) else f"#{number}"
        try:
            art = article_from_record(rec, rec_id)
        except ArticleError as exc:
            raise click.ClickException(f"{gold}: article {rec_id}: {exc}") from None
        ids.append(art.id)
        if art.published:
            dated.append(art)
    extractor = _extractor(reuse_parses=True) if reuse_parses else _extractor()

    def predict(disabled: frozenset[str]) -> dict[str, list[dict]]:
        predicted: dict[str, list[dict]] = {i: [] for i in ids}
        for art, meetings in zip(dated, extractor.extract_many(dated, disabled=disabled)):
            predicted[art.id] = [m.to_json() for m in meetings]
        return predicted

    return predict


def _ablate(gold: str, articles: list[dict], out_path: str | None) -> None:
    """`eval --ablate`: the score without each rule family, as a Markdown table."""
    from bot.evaluate import ablate, format_ablation
    from bot.extract.families import FAMILIES

    predict = _gold_articles(gold, articles, reuse_parses=True)
    base, rows = ablate(articles, predict, [(f.name, f.description) for f in FAMILIES])
    table = format_ablation(base, rows)
    if out_path:
        try:
            Path(out_path).write_text(table + "\n", encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {out_path}: {exc}") from None
    click.echo(table)


def _read_predictions(path: str) -> dict[str, list[dict]]:
    """`extract --json` output: article id -> its meetings; a bad line is a clean CLI error naming it."""
    predicted: dict[str, list[dict]] = {}
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            predicted[str(row["id"])] = row.get("meetings", [])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise click.ClickException(f"{path}:{lineno}: not a line of `summitbot extract --json` output") from None
    return predicted


_JSON = click.option("--json", "as_json", is_flag=True, help="One JSON object per summit instead of text.")


@cli.command()
@click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True, help="How many days ahead.")
@click.option("--who", metavar="NAME", help="Only meetings of this person.")
@_JSON
@click.pass_obj
def upcoming(state: AppState, days: int, who: str | None, as_json: bool) -> None:
    """List upcoming summits (as of --now)."""
    _print_command(state, "upcoming", {"days": days, "who": who}, as_json)


@cli.command("next")
@click.argument("who", nargs=-1, required=True)
@_JSON
@click.pass_obj
def next_(state: AppState, who: tuple[str, ...], as_json: bool) -> None:
    """The next meeting of a leader (as of --now): summitbot next Xi Jinping."""
    _print_command(state, "next", {"who": " ".join(who)}, as_json)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True, help="Which page of 20.")
@_JSON
@click.pass_obj
def search(state: AppState, words: tuple[str, ...], page: int, as_json: bool) -> None:
    """Find summits by name, place or participant: summitbot search APEC Gyeongju."""
    _print_command(state, "search", {"_": " ".join(words), "page": str(page)}, as_json)


@cli.command()
@click.argument("meeting_id", type=int)
@click.pass_obj
def show(state: AppState, meeting_id: int) -> None:
    """One summit with its sources and its history of changes."""
    _print_command(state, "show", {"id": meeting_id})


def _print_command(state: AppState, name: str, options: dict, as_json: bool = False) -> None:
    """Run a read-only chat command with typed options (as Discord does) on the existing database, and print its
    reply as the console shows it, or its summits as JSON lines; nothing is created when there is no database."""
    from adapters.console import render_text
    from bot.cli_calendar import open_existing
    from bot.commands import Commands, Context, Services

    commands = Commands(Services(store=open_existing(state.db_path), settings=state.settings))
    reply = commands.run(name, options, Context())
    if as_json and reply.kind != "error":
        for m in reply.meetings or []:
            click.echo(json.dumps(_record_json(m), ensure_ascii=False))
    else:
        click.echo(render_text(reply))
    if reply.kind == "error":
        sys.exit(1)


def _record_json(m) -> dict:
    return {"id": m.id, "title": m.title, "kind": m.kind, "name": m.name, "participants": m.participants,
            "location": m.location, "start": m.start.isoformat() if m.start else None,
            "end": m.end.isoformat() if m.end else None, "time": m.time, "tz": m.tz, "precision": m.precision,
            "certainty": m.certainty, "status": m.status}


@cli.command()
@click.argument("phrases", nargs=-1)
@click.option("--ref", metavar="ISO", help="Reference (publication) date/time; default --now or today.")
@click.option("--tense", type=click.Choice(["past", "future"]), help="The tense of the sentence.")
@click.option("--timex", is_flag=True, help="Add the TIMEX3 value, grain, modifier and span (2025-W44, 2025-Q3, PRESENT_REF).")
@click.option("--country", metavar="CC", help="Outlet's or dateline's country (ISO alpha-2): day-first dates, fiscal year, local time.")
@click.option("--dayfirst/--monthfirst", default=None, help="Order of a/b/yyyy dates (default: by --country, else refuse ambiguous ones).")
@click.pass_obj
def when(state: AppState, phrases: tuple[str, ...], ref: str | None, tense: str | None, timex: bool,
         country: str | None, dayfirst: bool | None) -> None:
    """Resolve time phrases: one JSON line per phrase (reads stdin when none are given)."""
    from bot.temporal import locale_for, when_json

    reference = _iso(ref, "--ref") or state.now()
    locale = locale_for(country, dayfirst) if country or dayfirst is not None else None
    items = phrases or (line.rstrip("\n") for line in sys.stdin)
    for phrase in items:
        if phrase.strip():
            click.echo(json.dumps(when_json(phrase, reference, tense, timex=timex, locale=locale), ensure_ascii=False))


@cli.command()
@click.option("--seeds", "seeds_dir", default=None, metavar="DIR", help="Folder of sample articles (default seeds/).")
@click.pass_obj
def demo(state: AppState, seeds_dir: str | None) -> None:
    """Ingest the seed articles into a fresh database and show, as of each one's date, what a user sees.

    The database is .summitbot-demo.db, or the one given with --db: it is deleted and made again.
    """
    from adapters.console import render_text
    from bot.commands import Commands, Context, Services
    from bot.config import PROJECT_ROOT
    from bot.pipeline import Ingestor
    from bot.sources import ensure_aware, read_articles
    from bot.store import Store

    folder = Path(seeds_dir) if seeds_dir else PROJECT_ROOT / "seeds"
    db_path = Path(state.db_path if state.db_path != state.settings.db else ".summitbot-demo.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    store = Store(db_path)
    ingestor = Ingestor(store, _extractor(), settings=state.settings)
    report = ingestor.ingest_paths([str(folder)])
    click.echo(f"summitbot demo — {report.summary()}  (database: {db_path})\n")
    for result in read_articles([str(folder)]):
        art = result.article
        if art is None or art.published is None:
            continue
        settings = state.settings.with_(now=ensure_aware(art.published))
        commands = Commands(Services(store=store, settings=settings))
        click.echo(f"=== As of {art.published:%Y-%m-%d %H:%M} — “{art.title[:90]}”")
        click.echo("> /summits upcoming days:120")
        click.echo(render_text(commands.handle("/summits upcoming days:120", Context())))
        click.echo("")
    click.echo("Try: summitbot --db %s show 1   |   summitbot --db %s run   (then type /summits help)"
               % (db_path, db_path))


@cli.command()
@click.option("--once", is_flag=True, help="Plan and send what is due once, then exit.")
@click.pass_obj
def run(state: AppState, once: bool) -> None:
    """Run the bot: Slack and/or Discord when their tokens are set, else the console."""
    import asyncio
    import importlib

    runner = importlib.import_module("adapters.runner")  # the composition root lives with the adapters
    try:
        status = asyncio.run(runner.run(state.settings, state.db_path, once=once))
    except ConfigError as exc:  # a platform setting (DISCORD_GUILD_ID, Slack tokens, ...) found wrong at start
        raise click.ClickException(f"configuration: {exc}") from None
    except KeyboardInterrupt:
        status = 0
    if status:
        raise SystemExit(status)


def _register_more_commands() -> None:
    from bot import cli_calendar, cli_corpus, cli_feeds, cli_reminders

    cli_corpus.register(cli)
    cli_reminders.register(cli)
    cli_feeds.register(cli)
    cli_calendar.register(cli)


_register_more_commands()


def main() -> None:
    cli(prog_name="summitbot")
