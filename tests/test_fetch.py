"""Fetching pages safely, against a local HTTP server: the address guard, redirects, caps, timeouts, types."""

from __future__ import annotations

import ipaddress
import time
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from bot.config import Settings
from bot.fetch import BlockedURL, FetchError, Fetcher, address_kind, address_problem, check_url, fetch_article
from bot.pipeline import Ingestor
from tests.http_fixtures import StreamStats, gzip_bomb, http_server, routed_connector, stream, tls_server, trickle  # noqa: F401

PUBLIC_IP = "93.184.215.14"  # stands for a public host; a test connector routes it to the local server

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Macron to meet Merz in Berlin | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-10-20T08:00:00+00:00">
</head><body><nav><a href="/">Home</a></nav>
<article><h1>Macron to meet Merz in Berlin</h1>
<p>President Emmanuel Macron will meet Chancellor Friedrich Merz in Berlin next Tuesday, the Elysee said on Monday.</p>
<p>The two leaders are expected to discuss European defence spending, the war in Ukraine and trade relations
with China, officials in both capitals said on Monday afternoon.</p>
<p>It will be their third meeting since the chancellor took office in May, and aides said a joint declaration
on industrial policy was being prepared for the occasion.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def open_settings(**kw) -> Settings:
    """Settings for the happy paths: the local server lives on 127.0.0.1."""
    return Settings(allow_private_urls=True, fetch_timeout=5.0, **kw)


class FakeExtractor:
    """One bilateral meeting per article that says 'X will meet Y'."""

    def extract(self, article):
        from tests.conftest import make_meeting

        if "will meet" not in article.text:
            return []
        return [make_meeting(participants=["Emmanuel Macron", "Friedrich Merz"], location="Berlin",
                             sentence=article.text.split("\n")[0])]


# -- the address guard ------------------------------------------------------------------

NEVER = ["169.254.169.254", "169.254.0.1", "fe80::1", "0.0.0.0", "0.1.2.3", "::", "224.0.0.1", "ff02::1",
         "240.0.0.1", "255.255.255.255", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe"]
SWITCHABLE = ["127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.5.4", "192.168.1.1", "100.64.0.1",
              "100.127.255.254", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
              "2002:7f00:1::1", "64:ff9b::7f00:1", "192.0.2.10"]
PUBLIC = ["8.8.8.8", "93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "100.128.0.1"]


@pytest.mark.parametrize("address", NEVER)
def test_metadata_link_local_and_special_addresses_are_never_allowed(address):
    assert address_problem(address, allow_private=False)
    problem = address_problem(address, allow_private=True)
    assert problem and "even when private addresses are allowed" in problem


@pytest.mark.parametrize("address", SWITCHABLE)
def test_private_loopback_cgnat_ula_and_mapped_are_allowed_only_with_the_switch(address):
    problem = address_problem(address, allow_private=False)
    assert problem and "SUMMITBOT_ALLOW_PRIVATE_URLS=1" in problem
    assert address_problem(address, allow_private=True) is None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert address_problem(address) is None


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_ipv6_is_judged_like_its_ipv4(n):
    v4 = ipaddress.IPv4Address(n)
    assert address_kind(f"::ffff:{v4}") == address_kind(str(v4))


def test_link_local_metadata_kind_is_named():
    assert "metadata" in address_problem("169.254.169.254")
    assert address_kind("100.64.0.1") == "cgnat" and address_kind("fd00::1") == "unique-local"


@pytest.mark.parametrize("url, words", [
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.com/x", "only http and https"),
    ("gopher://127.0.0.1:70/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://user:pw@example.com/", "user name or password"),
    ("http:///nohost", "no host"),
    ("http://127.0.0.1/", "loopback"),
    ("http://[::1]:8080/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 as one decimal number: caught after resolving
    ("http://localhost:9/", "loopback"),
])
def test_check_url_refuses_with_a_clear_reason(url, words):
    with pytest.raises(BlockedURL, match=words):
        check_url(url)


def test_every_resolved_address_is_checked():
    resolver = lambda host, port: [PUBLIC_IP, "10.0.0.7"]  # noqa: E731
    with pytest.raises(BlockedURL, match="news.test resolves to 10.0.0.7 is a private address"):
        check_url("http://news.test/a", resolver=resolver)
    assert check_url("http://news.test/a", resolver=lambda h, p: [PUBLIC_IP]).addresses == (PUBLIC_IP,)


# -- fetching articles --------------------------------------------------------------------


def test_fetch_article_reads_text_title_outlet_and_date(http_server):
    url = http_server.page("/news/1", ARTICLE_HTML)
    article = fetch_article(url, open_settings())
    assert "Emmanuel Macron will meet Chancellor Friedrich Merz" in article.text
    assert article.title == "Macron to meet Merz in Berlin"
    assert article.outlet == "Example News"
    assert article.published.date().isoformat() == "2025-10-20"
    assert article.url == url and article.source_path == url
    seen = http_server.requests_for("/news/1")[0]
    assert seen.headers["host"] == f"127.0.0.1:{http_server.port}"
    assert "text/html" in seen.headers["accept"]


def test_given_date_is_only_a_fallback(http_server):
    dated = http_server.page("/dated", ARTICLE_HTML)
    undated = http_server.page("/undated", ARTICLE_HTML.replace(
        '<meta property="article:published_time" content="2025-10-20T08:00:00+00:00">', ""))
    fallback = datetime(2025, 10, 1, tzinfo=timezone.utc)
    fetcher = Fetcher(open_settings())
    assert fetcher.article(dated, fallback).published.date().isoformat() == "2025-10-20"
    assert fetcher.article(undated, fallback).published == fallback
    assert fetcher.article(undated).published is None


def test_plain_text_pages_are_read(http_server):
    url = http_server.page("/t.txt", "Macron and Merz to meet\nDate: 2025-10-20\n\nMacron will meet Merz.",
                           content_type="text/plain; charset=utf-8")
    article = Fetcher(open_settings()).article(url)
    assert article.title == "Macron and Merz to meet" and article.published.date().isoformat() == "2025-10-20"


def test_loopback_is_refused_without_the_switch_and_nothing_is_sent(http_server):
    url = http_server.page("/news/1", ARTICLE_HTML)
    with pytest.raises(BlockedURL, match="127.0.0.1 is a loopback address .*SUMMITBOT_ALLOW_PRIVATE_URLS=1"):
        fetch_article(url, Settings())
    assert http_server.paths() == []


def test_metadata_address_is_refused_even_with_the_switch_and_never_connected(http_server):
    calls = []
    fetcher = Fetcher(open_settings(), connector=lambda *a: calls.append(a))
    with pytest.raises(BlockedURL, match="169.254.169.254 is a link-local address"):
        fetcher.article("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    assert calls == []


def test_a_name_resolving_to_the_metadata_address_is_refused():
    fetcher = Fetcher(open_settings(), resolver=lambda host, port: ["169.254.169.254"])
    with pytest.raises(BlockedURL, match="metadata.test resolves to 169.254.169.254"):
        fetcher.article("http://metadata.test/")


def test_redirect_to_the_metadata_address_is_refused_with_the_switch_on(http_server):
    url = http_server.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedURL, match="link-local"):
        Fetcher(open_settings()).article(url)
    assert http_server.paths() == ["/go"]


def test_redirect_from_a_public_host_to_loopback_is_refused_with_the_switch_off(http_server):
    """The first hop is a 'public' host (a test resolver and connector route it here); the second is 127.0.0.1."""
    http_server.page("/secret", "internal only")
    http_server.redirect("/go", http_server.url("/secret"))
    fetcher = Fetcher(Settings(), resolver=lambda host, port: [PUBLIC_IP],
                      connector=routed_connector({PUBLIC_IP: http_server.port}))
    with pytest.raises(BlockedURL, match="127.0.0.1 is a loopback address"):
        fetcher.article(f"http://news.test:{http_server.port}/go")
    assert http_server.paths() == ["/go"]
    # The connection went to the vetted address, but the request named the URL's host.
    assert http_server.requests_for("/go")[0].headers["host"] == f"news.test:{http_server.port}"


def test_redirect_to_a_name_that_now_resolves_privately_is_refused(http_server):
    """Each hop is resolved and checked again (a rebinding name on the second hop is caught)."""
    answers = {"news.test": [PUBLIC_IP], "cdn.test": ["10.0.0.9"]}
    http_server.redirect("/go", f"http://cdn.test:{http_server.port}/a")
    fetcher = Fetcher(Settings(), resolver=lambda host, port: answers[host],
                      connector=routed_connector({PUBLIC_IP: http_server.port}))
    with pytest.raises(BlockedURL, match="cdn.test resolves to 10.0.0.9"):
        fetcher.get(f"http://news.test:{http_server.port}/go", accept=("text/html",))


def test_redirects_are_followed_up_to_five(http_server):
    http_server.page("/end", ARTICLE_HTML)
    for i in range(6):
        http_server.redirect(f"/r{i}", f"/r{i + 1}" if i < 5 else "/end")
    fetcher = Fetcher(open_settings())
    response = fetcher.get(http_server.url("/r1"), accept=("text/html",))
    assert response.url == http_server.url("/end") and response.status == 200
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.get(http_server.url("/r0"), accept=("text/html",))


def test_https_connects_to_the_vetted_address_with_sni_and_certificate_for_the_name(tls_server):
    tls_server.page("/a", ARTICLE_HTML)
    fetcher = Fetcher(open_settings(), resolver=lambda host, port: ["127.0.0.1"],
                      ssl_context=tls_server.client_context)
    article = fetcher.article(f"https://news.test:{tls_server.port}/a")
    assert article.title == "Macron to meet Merz in Berlin"
    assert tls_server.snis == ["news.test"]
    assert tls_server.requests_for("/a")[0].headers["host"] == f"news.test:{tls_server.port}"
    # The same server under another name: the certificate does not match, refused.
    other = Fetcher(open_settings(), resolver=lambda host, port: ["127.0.0.1"],
                    ssl_context=tls_server.client_context)
    with pytest.raises(FetchError, match="TLS certificate problem for other.test"):
        other.article(f"https://other.test:{tls_server.port}/a")


# -- size, time and type ----------------------------------------------------------------


def test_announced_body_over_the_cap_is_refused_before_reading(http_server):
    stats = StreamStats()
    url = http_server.handle("/big", stream(50_000_000, stats, declare_length=True))
    with pytest.raises(FetchError, match="too large: 50,000,000 bytes announced, the limit is 1,000,000"):
        Fetcher(open_settings(fetch_max_bytes=1_000_000)).article(url)


def test_fifty_megabytes_are_cut_off_while_streaming(http_server):
    stats = StreamStats()
    url = http_server.handle("/big", stream(50_000_000, stats))
    started = time.monotonic()
    with pytest.raises(FetchError, match="too large: more than 1,000,000 bytes, stopped reading"):
        Fetcher(open_settings(fetch_max_bytes=1_000_000)).article(url)
    assert time.monotonic() - started < 5
    assert stats.done.wait(5)
    # The client hung up: the server could not send its 50 MB (only what the socket buffers took).
    assert stats.client_gone and not stats.finished and stats.sent < 25_000_000


def test_a_gzip_bomb_is_cut_off_once_decompressed(http_server):
    url = http_server.handle("/bomb", gzip_bomb(20_000_000))
    with pytest.raises(FetchError, match="more than 1,000,000 bytes once decompressed"):
        Fetcher(open_settings(fetch_max_bytes=1_000_000)).article(url)


def test_a_gzipped_page_is_read(http_server):
    import gzip

    url = http_server.page("/gz", gzip.compress(ARTICLE_HTML.encode()), headers={"Content-Encoding": "gzip"})
    assert "Friedrich Merz" in Fetcher(open_settings()).article(url).text


@pytest.mark.parametrize("headers_too", [False, True], ids=["slow-body", "slow-headers"])
def test_a_never_ending_slow_response_hits_the_total_timeout(http_server, headers_too):
    url = http_server.handle("/slow", trickle(http_server.stop, interval=0.05, headers_too=headers_too))
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.5 s"):
        Fetcher(open_settings().with_(fetch_timeout=0.5)).article(url)
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("ctype", ["application/pdf", "image/png", "application/octet-stream"])
def test_other_content_types_are_refused(http_server, ctype):
    url = http_server.page("/doc", b"%PDF-1.7 ...", content_type=ctype)
    with pytest.raises(FetchError, match=f"content type {ctype} is not accepted"):
        Fetcher(open_settings()).article(url)


def test_a_feed_given_as_an_article_gets_a_hint(http_server):
    url = http_server.page("/feed", "<rss/>", content_type="application/rss+xml")
    with pytest.raises(FetchError, match="this is a feed .* feeds add"):
        Fetcher(open_settings()).article(url)


def test_html_without_text_is_refused(http_server):
    url = http_server.page("/empty", "<html><head><title>Nothing</title></head><body><div></div></body></html>")
    with pytest.raises(FetchError, match="no article text found"):
        Fetcher(open_settings()).article(url)


def test_http_errors_are_reported_with_their_status(http_server):
    url = http_server.page("/gone", "gone", status=404)
    with pytest.raises(FetchError, match="HTTP 404 Not Found") as info:
        Fetcher(open_settings()).article(url)
    assert info.value.status == 404


def test_connection_refused_is_a_fetch_error():
    with pytest.raises(FetchError, match="could not connect"):
        Fetcher(open_settings()).article("http://127.0.0.1:9/")


# -- in a batch ---------------------------------------------------------------------------


def test_hostile_urls_fail_alone_and_the_batch_goes_on(http_server, store, tmp_path):
    good = http_server.page("/news/1", ARTICLE_HTML)
    pdf = http_server.page("/doc.pdf", b"%PDF", content_type="application/pdf")
    local_file = tmp_path / "a.txt"
    local_file.write_text("Merz to host Macron\nDate: 2025-10-20\n\nMacron will meet Merz in Berlin.\n")
    ingestor = Ingestor(store, FakeExtractor(), settings=open_settings())
    report = ingestor.ingest_paths(["http://169.254.169.254/latest/meta-data/", pdf, str(local_file), good])
    failed = dict(report.failed)
    assert "link-local" in failed["http://169.254.169.254/latest/meta-data/"]
    assert "application/pdf is not accepted" in failed[pdf]
    assert report.new == 2 and report.meetings_new == 1
    stored = [r["source"] for r in store.db["articles"].rows]
    assert good in stored and str(local_file) in stored


def test_cli_ingest_url(http_server, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import bot.cli

    monkeypatch.setattr(bot.cli, "_extractor", FakeExtractor)
    url = http_server.page("/news/1", ARTICLE_HTML)
    db = tmp_path / "cli.db"
    runner = CliRunner()
    env = {"SUMMITBOT_ALLOW_PRIVATE_URLS": "1"}
    result = runner.invoke(bot.cli.cli, ["--db", str(db), "ingest", url, "http://169.254.169.254/x"], env=env)
    assert result.exit_code == 0, result.output
    assert "articles: 1 new" in result.output and "meetings: 1 new" in result.output
    result = runner.invoke(bot.cli.cli, ["--db", str(db), "ingest", url], env={"SUMMITBOT_ALLOW_PRIVATE_URLS": "0"})
    assert "loopback" in result.output
