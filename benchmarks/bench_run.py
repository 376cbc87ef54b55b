"""Time `stancewatch run` against a bare httpx + trafilatura loop on the same pages, on loopback.

Usage: .venv/bin/python benchmarks/bench_run.py [--pages 181] [--rounds 3] [--crash-runs 0]
                                                [--idle-feeds 200]

Serves the 181 pages of ../shared/corpora/extraction-benchmark/ (replicated to --pages distinct
URLs) behind one RSS feed from a threaded HTTP/1.1 server on 127.0.0.1 (keep-alive, TCP_NODELAY,
gzip bodies). Then, in alternating rounds, it times in fresh subprocesses:
  bare    one thread: httpx GET of each page + trafilatura.extract(html, with_metadata=True)
  run     `stancewatch run` on a fresh database (fetch, extract, compare, store)
  again   the immediate second run: the feed answers 304, nothing to fetch
and prints medians (wall s, pages/s, CPU s, peak RSS of the main process and of all its
processes), the run/bare ratio, extraction quality of both (word 4-gram shingle F1 against the
corpus's ground truth, same pages, same invocation), an idle poll of --idle-feeds feeds that all
answer 304, and with --crash-runs K how many of K more runs died or lost a page to a crash.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
from extraction_quality import CORPUS, precision_recall

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STANCEWATCH = BIN / "stancewatch"


# --- the site ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    pages: list[bytes]  # gzip-compressed HTML, one per URL /p/<i>.html
    corpus_ids: list[str]  # the corpus item behind each URL
    idle_feeds: int


def load_site(pages: int, idle_feeds: int) -> Site:
    ids = sorted(json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8")))
    bodies = {item: (CORPUS / "html" / f"{item}.html.gz").read_bytes() for item in ids}
    chosen = [ids[i % len(ids)] for i in range(pages)]
    return Site([bodies[item] for item in chosen], chosen, idle_feeds)


def feed_xml(site: Site, base: str) -> bytes:
    items = "".join(
        f"<item><title>Benchmark page {i}</title><link>{base}/p/{i}.html</link>"
        f'<guid isPermaLink="false">page-{i}</guid><description>Page {i} of the benchmark.'
        f"</description><pubDate>Sat, 02 Mar 2024 09:00:00 GMT</pubDate></item>"
        for i in range(len(site.pages))
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Benchmark</title><link>{base}/</link><description>bench</description>"
        f"{items}</channel></rss>"
    ).encode()


def idle_feed_xml(number: int, base: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Idle {number}</title><link>{base}/</link><description>idle</description>"
        f"<item><title>Idle item {number}</title><link>{base}/idle-page/{number}.html</link>"
        f'<guid isPermaLink="false">idle-{number}</guid><description>Quiet feed {number}, one '
        "old item that never changes.</description></item></channel></rss>"
    ).encode()


def serve(site: Site) -> tuple[ThreadingHTTPServer, str]:
    state: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:
            return

        def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            etag = '"v1"'
            if path == "/feed.xml" or path.startswith("/idle/"):
                if self.headers.get("If-None-Match") == etag:
                    self.reply(304, b"", {"ETag": etag})
                    return
                key = path
                if key not in state:
                    base = f"http://{self.headers['Host']}"
                    if path == "/feed.xml":
                        state[key] = gzip.compress(feed_xml(site, base))
                    else:
                        state[key] = gzip.compress(idle_feed_xml(int(path[6:-4]), base))
                self.reply(
                    200,
                    state[key],
                    {
                        "Content-Type": "application/rss+xml",
                        "Content-Encoding": "gzip",
                        "ETag": etag,
                    },
                )
                return
            if path.startswith("/p/"):
                index = int(path[3:].split(".")[0])
                body = site.pages[index]
            elif path.startswith("/idle-page/"):
                body = gzip.compress(b"<html><body><p>" + b"Nothing new here. " * 40 + b"</p>")
            else:
                self.reply(404, b"not found", {"Content-Type": "text/plain"})
                return
            self.reply(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- measuring a subprocess -------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float
    peak_main_mb: float
    peak_all_mb: float
    peak_pss_mb: float
    returncode: int
    stdout: str
    stderr: str


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime: fields 14 and 15 of stat(5), counted after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    # Proportional set size: pages shared by several processes (the fork server's preloaded
    # modules in every worker) are divided among them instead of counted once per process.
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    kids = [int(k) for k in children.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def _own_cpu(usage: Any) -> float:
    return float(usage.ru_utime + usage.ru_stime)


def timed(command: list[str], env: dict[str, str]) -> Timed:
    """Run `command`, sampling the RSS of it and of every process it starts every 20 ms."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peaks = {"main": 0, "all": 0, "pss": 0}
    # Worker processes are not this process's children (a fork server starts them), so the
    # CPU time wait4 reports may miss them: the tree's sampled CPU times are summed as well.
    descendant_cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        tick = 0
        while not stop.is_set():
            main = _rss_kb(proc.pid)
            descendant_cpu[proc.pid] = max(descendant_cpu.get(proc.pid, 0.0), _cpu_s(proc.pid))
            children = _descendants(proc.pid)
            for child in children:
                descendant_cpu[child] = max(descendant_cpu.get(child, 0.0), _cpu_s(child))
            total = main + sum(_rss_kb(child) for child in children)
            if tick % 10 == 0:  # reading smaps costs the kernel more than reading status
                pss = sum(_pss_kb(process) for process in [proc.pid, *children])
                peaks["pss"] = max(peaks["pss"], pss)
            tick += 1
            peaks["main"] = max(peaks["main"], main)
            peaks["all"] = max(peaks["all"], total)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    for reader in readers:
        reader.join()
    return Timed(
        wall=wall,
        cpu=max(_own_cpu(usage), sum(descendant_cpu.values())),
        peak_main_mb=peaks["main"] / 1024,
        peak_all_mb=peaks["all"] / 1024,
        peak_pss_mb=peaks["pss"] / 1024,
        returncode=proc.returncode,
        stdout="".join(out_chunks),
        stderr="".join(err_chunks),
    )


# --- the contenders ---------------------------------------------------------------------------


BARE = r"""
import json, re, sys
import httpx
import trafilatura

feed_url, out_path = sys.argv[1], sys.argv[2]
texts = {}
with httpx.Client(headers={"Accept-Encoding": "gzip"}, timeout=30) as client:
    feed = client.get(feed_url).text
    for url in re.findall(r"<link>([^<]+/p/[^<]+)</link>", feed):
        html = client.get(url).content
        texts[url] = trafilatura.extract(html, with_metadata=True)
with open(out_path, "w") as out:
    json.dump(texts, out)
"""


def run_env(workdir: Path, pages: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWATCH_")}
    # Every page in one run: the per-run queue and the per-poll share of one feed raised.
    env["STANCEWATCH_MAX_ARTICLES_PER_RUN"] = str(max(pages, 1) + 10)
    env["STANCEWATCH_MAX_ENTRIES_PER_FEED_POLL"] = str(max(pages, 1) + 10)
    env["STANCEWATCH_RETRIES"] = "0"
    env["STANCEWATCH_FETCH_ALLOW"] = "127.0.0.1"  # the benchmark's own loopback site
    env["PREFECT_HOME"] = str(workdir / "prefect-home")
    return env


def write_feeds(path: Path, urls: list[tuple[str, str]]) -> Path:
    path.write_text(
        "".join(f'[[feeds]]\nid = "{feed_id}"\nurl = "{url}"\n\n' for feed_id, url in urls),
        encoding="utf-8",
    )
    return path


def stancewatch_run(feeds: Path, db: Path, env: dict[str, str]) -> Timed:
    command = [str(STANCEWATCH), "run", "--feeds", str(feeds), "--db", str(db)]
    return timed(command, env)


def quality(texts: dict[str, str | None], site: Site, base: str) -> float:
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    seen: set[str] = set()
    for index, item in enumerate(site.corpus_ids):
        if item in seen:
            continue
        seen.add(item)
        precision, recall = precision_recall(
            texts.get(f"{base}/p/{index}.html") or "", truth[item]["articleBody"]
        )
        precisions.append(precision)
        recalls.append(recall)
    p, r = statistics.fmean(precisions), statistics.fmean(recalls)
    return 2 * p * r / (p + r) if p + r else 0.0


def stored_texts(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, title, text FROM articles").fetchall()
    # The pipeline keeps the headline apart from the body; the ground truth is body only.
    return {url: text for url, _title, text in rows}


def crash_errors(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT count(*) FROM item_errors WHERE error_class = 'WorkerCrash'"
        ).fetchone()
    return int(row[0]) if row else 0


def compile_bytecode() -> None:
    """Compile the installed packages and stancewatch before timing anything.

    Python caches compiled modules on first import, unless PYTHONDONTWRITEBYTECODE is set (as
    on this machine) and nothing compiled them at install time: then every process of both
    contenders compiles trafilatura, httpx and the rest from source each time it starts (over
    1 s of CPU per process), which a normal installation never pays.
    """
    import compileall
    import sysconfig

    for directory in (Path(sysconfig.get_paths()["purelib"]), REPO / "stancewatch"):
        compileall.compile_dir(directory, quiet=2, workers=0)  # quiet: py3.12-only files


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=181, help="distinct page URLs to serve")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--crash-runs", type=int, default=0, help="extra runs counting crashes")
    parser.add_argument("--idle-feeds", type=int, default=200, help="feeds for the idle poll")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"benchmark corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    compile_bytecode()
    site = load_site(args.pages, args.idle_feeds)
    server, base = serve(site)
    load_before = os.getloadavg()
    results: dict[str, Any] = {"pages": args.pages, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="stancewatch-bench-") as tmp:
        work = Path(tmp)
        env = run_env(work, args.pages)
        feeds = write_feeds(work / "feeds.toml", [("bench", f"{base}/feed.xml")])
        bare_runs: list[Timed] = []
        first_runs: list[Timed] = []
        again_runs: list[Timed] = []
        bare_texts: dict[str, str | None] = {}
        run_texts: dict[str, str] = {}
        stored_counts: list[int] = []
        for round_number in range(args.rounds):
            texts_file = work / "bare.json"
            bare = timed([sys.executable, "-c", BARE, f"{base}/feed.xml", str(texts_file)], env)
            if bare.returncode != 0:
                print(f"bare loop failed: {bare.stderr[-2000:]}", file=sys.stderr)
                return 1
            bare_runs.append(bare)
            bare_texts = json.loads(texts_file.read_text(encoding="utf-8"))
            db = work / f"round-{round_number}.duckdb"
            first = stancewatch_run(feeds, db, env)
            if first.returncode != 0:
                print(f"stancewatch run failed: {first.stderr[-2000:]}", file=sys.stderr)
                return 1
            first_runs.append(first)
            again_runs.append(stancewatch_run(feeds, db, env))
            run_texts = stored_texts(db)
            stored_counts.append(len(run_texts))
            if len(run_texts) < args.pages:
                print(f"only {len(run_texts)} of {args.pages} pages stored", file=sys.stderr)
            print(
                f"round {round_number + 1}: bare {bare.wall:.2f} s, run {first.wall:.2f} s, "
                f"second run {again_runs[-1].wall:.2f} s",
                file=sys.stderr,
            )
        bare_wall = median([t.wall for t in bare_runs])
        run_wall = median([t.wall for t in first_runs])
        results |= {
            "bare_wall_s": bare_wall,
            "run_wall_s": run_wall,
            "again_wall_s": median([t.wall for t in again_runs]),
            "bare_pages_per_s": args.pages / bare_wall,
            "run_pages_per_s": args.pages / run_wall,
            "ratio": bare_wall / run_wall,
            "bare_cpu_s": median([t.cpu for t in bare_runs]),
            "run_cpu_s": median([t.cpu for t in first_runs]),
            "run_pages_stored": min(stored_counts),
            "bare_peak_rss_mb": max(t.peak_all_mb for t in bare_runs),
            "run_peak_rss_main_mb": max(t.peak_main_mb for t in first_runs),
            "run_peak_rss_all_mb": max(t.peak_all_mb for t in first_runs),
            "run_peak_pss_all_mb": max(t.peak_pss_mb for t in first_runs),
            "bare_f1": quality(bare_texts, site, base),
            "run_f1": quality(dict(run_texts), site, base),
        }

        if args.idle_feeds:
            idle = write_feeds(
                work / "idle.toml",
                [(f"idle-{n}", f"{base}/idle/{n}.xml") for n in range(args.idle_feeds)],
            )
            idle_db = work / "idle.duckdb"
            stancewatch_run(idle, idle_db, env)  # learns every ETag
            polls = [stancewatch_run(idle, idle_db, env) for _ in range(max(3, args.rounds))]
            results["idle_feeds"] = args.idle_feeds
            results["idle_poll_wall_s"] = median([t.wall for t in polls])

        crashed_runs = lost_pages = 0
        for number in range(args.crash_runs):
            db = work / f"crash-{number}.duckdb"
            outcome = stancewatch_run(feeds, db, env)
            if outcome.returncode != 0:
                crashed_runs += 1
            elif db.exists():
                lost_pages += crash_errors(db)
            db.unlink(missing_ok=True)
        if args.crash_runs:
            results |= {
                "crash_runs": args.crash_runs,
                "runs_died": crashed_runs,
                "pages_lost_to_worker_crashes": lost_pages,
            }
    server.shutdown()
    results["load_before"] = [round(x, 2) for x in load_before]
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report(results, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def report(r: dict[str, Any], rounds: int) -> None:
    print(f"pages {r['pages']} on loopback, {r['cores']} cores, medians of {rounds} rounds")
    print(
        f"bare loop         {r['bare_wall_s']:7.2f} s  {r['bare_pages_per_s']:7.1f} pages/s  "
        f"CPU {r['bare_cpu_s']:6.1f} s  peak RSS {r['bare_peak_rss_mb']:5.0f} MB"
    )
    print(
        f"stancewatch run   {r['run_wall_s']:7.2f} s  {r['run_pages_per_s']:7.1f} pages/s  "
        f"CPU {r['run_cpu_s']:6.1f} s  peak RSS {r['run_peak_rss_main_mb']:5.0f} MB main, "
        f"{r['run_peak_rss_all_mb']:5.0f} MB all processes (PSS {r['run_peak_pss_all_mb']:.0f} MB)"
    )
    if r["run_pages_stored"] < r["pages"]:
        print(f"WARNING           a run stored only {r['run_pages_stored']} of {r['pages']} pages")
    print(f"second run (304)  {r['again_wall_s']:7.2f} s")
    print(f"ratio run/bare    {r['ratio']:7.2f}x pages/s")
    print(
        f"extraction F1     run {r['run_f1']:.3f}  bare {r['bare_f1']:.3f}  "
        f"difference {r['run_f1'] - r['bare_f1']:+.3f}"
    )
    if "idle_poll_wall_s" in r:
        print(
            f"idle poll         {r['idle_poll_wall_s']:7.2f} s "
            f"for {r['idle_feeds']} feeds (all 304)"
        )
    if "crash_runs" in r:
        print(
            f"crashes           {r['runs_died']} of {r['crash_runs']} runs died, "
            f"{r['pages_lost_to_worker_crashes']} pages lost to worker crashes"
        )
    print(f"load average      before {r['load_before']}, after {r['load_after']}")


if __name__ == "__main__":
    raise SystemExit(main())
