"""KHABRI_SEARCH and --search: what is accepted, and a clear message (and no change) for the rest."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import httpx
import pytest

from bot.archive.search_url import DEFAULT_INDEX, SearchConfigError, parse_search_url
from bot.cli import main
from bot.settings import Settings, SettingsError


def test_one_or_more_nodes_and_an_optional_index_name() -> None:
    one = parse_search_url("opensearch+http://127.0.0.1:9200")
    assert one.hosts == ("http://127.0.0.1:9200",)
    assert one.index == DEFAULT_INDEX
    two = parse_search_url("opensearch+http://a.example:9200, b.example:9201/news-hi")
    assert two.hosts == ("http://a.example:9200", "http://b.example:9201")
    assert two.index == "news-hi"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9200",
        "opensearch+http://",
        "opensearch+http://127.0.0.1",
        "opensearch+http://127.0.0.1:notaport",
        "opensearch+http://user@127.0.0.1:9200",
        "opensearch+http://127.0.0.1:9200/Capitals",
        "opensearch+http://127.0.0.1:9200/_hidden",
    ],
)
def test_a_bad_url_is_refused(url: str) -> None:
    with pytest.raises(SearchConfigError):
        parse_search_url(url)


def test_settings_read_khabri_search_and_name_a_bad_one() -> None:
    assert Settings.from_env({"HOME": "/tmp"}).search is None
    url = "opensearch+http://127.0.0.1:9200,127.0.0.1:9201"
    assert Settings.from_env({"HOME": "/tmp", "KHABRI_SEARCH": url}).search == url
    with pytest.raises(SettingsError, match="KHABRI_SEARCH"):
        Settings.from_env({"HOME": "/tmp", "KHABRI_SEARCH": "elastic://x:1"})


def test_a_bad_search_option_exits_2_and_creates_no_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "k.db"
    assert main(["ask", "--db", str(db), "--search", "opensearch+http://nohost", "कुछ"]) == 2
    assert "--search" in capsys.readouterr().err
    assert not db.exists()


def test_reindex_without_a_cluster_says_what_it_needs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "k.db"
    assert main(["reindex", "--db", str(db)]) == 2
    assert "KHABRI_SEARCH" in capsys.readouterr().err
    assert not db.exists()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_server_that_is_not_opensearch_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"opensearch+http://127.0.0.1:{server.server_address[1]}"
        assert main(["ask", "--db", str(tmp_path / "k.db"), "--search", url, "कुछ"]) == 1
    finally:
        server.shutdown()
        server.server_close()
    err = capsys.readouterr().err
    assert err.startswith("khabri: PUT /khabri-passages: HTTP 501")
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_an_error_saying_a_node_was_lost_is_tried_again_and_others_are_not() -> None:
    from bot.archive.opensearch import node_lost

    lost = (
        '{"error":{"type":"search_phase_execution_exception",'
        '"caused_by":{"type":"node_not_connected_exception"}}}'
    )
    assert node_lost(httpx.Response(500, text=lost))
    assert not node_lost(httpx.Response(500, text='{"error":{"type":"illegal_argument_exception"}}'))
    assert not node_lost(httpx.Response(400, text=lost))
