"""firma's benchmark: `make bench` (or `python bench/run.py`), on SQLite or DATABASE_URL.

Starts firma with its production server and settings (`make serve`) on loopback, then measures
with bench/load.py, in one run and with a fixed number of requests per phase:

1. the baseline: /health/live on the same server, workers and middleware;
2. signing: full sign POSTs (with the Origin and Sec-Fetch-Site a browser sends, a distinct
   e-mail and a distinct client address per request, through TRUSTED_PROXIES, so that the rate
   limits see a spike from many people, as a real one is);
3. reading: the petition page and the API, alone (before any signing, the worker idle) and
   while signing runs at a steady rate; then the page and the live count again through nginx's
   micro-cache, with deploy/nginx/firma.conf as deploy/cluster writes it (bench/cache.py);
4. correctness: stored signatures equal accepted POSTs, none twice, and once they are confirmed
   the count shown equals a recount within the counting interval;
5. size: the page and the API of a petition with --small signatures against one with --large
   (a million by default, made by `manage.py generate_signatures` before the server starts).

The confirmation e-mails really go out, to an SMTP server on loopback (bench/mailsink.py): the
bench reports how many a second arrived during the signing phase and after it. --lean off signs
through the form classes only, --ledger off runs without the ledger, for comparison.

Prints a table and writes JSON to bench/results/. Speeds are judged as ratios to the baseline.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import cache
import load
import wrk

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PETITION = "bench"
# Most signers write from a large provider, which the per-domain limit leaves alone.
PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "gmx.de"]
# Seconds within which the count shown must equal a recount: the counts are cached for
# COUNT_CACHE_SECONDS (1 s) and read from the tallies and the changes not folded yet.
COUNTING_INTERVAL = 2
SIZES = ["small", "large"]
SIZE_ROUNDS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=8000, help="per measured phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--small", type=int, default=1000, help="signatures, size phase")
    parser.add_argument("--large", type=int, default=1_000_000, help="signatures, size phase")
    parser.add_argument("--lean", choices=["on", "off"], default="on", help="SIGNING_LEAN")
    parser.add_argument("--ledger", choices=["on", "off"], default="on", help="LEDGER_ENABLED")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="the read phases' load generator: wrk where it is installed (bench/wrk.py)",
    )
    parser.add_argument("--read-seconds", type=float, default=5, help="per read phase, with wrk")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="firma-bench-"))
    env = production_env(work, args)
    base = f"http://127.0.0.1:{args.port}"
    database = env["DATABASE_URL"].split(":")[0]
    prepare(env, args)
    sink = start_mail_sink(work, args.port + 2)
    server = start_server(env, work)
    nginx = None
    try:
        wait_until_live(base)
        nginx = cache.start(args.port + 1, args.port, work)
        results = measure(base, args, env, work)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        sink.terminate()
        sink.wait(timeout=30)
    report(results, database, args)


def production_env(work: Path, args: argparse.Namespace) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BASE_URL": f"http://127.0.0.1:{args.port}",
        "PORT": str(args.port),
        "WORKERS": str(args.workers),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "TRUSTED_PROXIES": "127.0.0.1",
        "EMAIL_URL": f"smtp://127.0.0.1:{args.port + 2}",
        "CACHE_DIR": str(work / "cache"),
        "SIGNING_LEAN": "1" if args.lean == "on" else "0",
        "LEDGER_ENABLED": "1" if args.ledger == "on" else "0",
        "DJANGO_SETTINGS_MODULE": "firma.settings",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{work / 'firma.sqlite3'}")
    return env


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), *command],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {command[0]} failed:\n{result.stderr}")
    return result.stdout


def prepare(env: dict, args: argparse.Namespace) -> None:
    """A fresh, open petition called "bench", and two for the size phase, filled."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "shell", "-v0", "-c", (BENCH / "reset.py").read_text())
    for slug in [PETITION, "bench-small", "bench-large"]:
        source = Path(env["CACHE_DIR"]).parent / f"{slug}.md"
        source.write_text(
            f'+++\nslug = "{slug}"\ntitle = "Benchmark petition"\nlanguage = "en"\n'
            'status = "open"\ngoal = 1000000\n+++\nA petition to measure firma with.\n'
        )
        manage(env, "import_petition", str(source))
    manage(env, "generate_signatures", "bench-small", str(args.small))
    manage(env, "generate_signatures", "bench-large", str(args.large), "--batch", "20000")


def start_mail_sink(work: Path, port: int) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, str(BENCH / "mailsink.py"), str(port), str(work / "mail.log")],
        stdout=subprocess.PIPE,
        text=True,
    )
    sink.stdout.readline()  # "listening"
    return sink


def mail_rates(work: Path, signing: tuple[float, float], signed_until: float) -> dict:
    """E-mails a second that reached the mail server while the signing phase ran, and after
    the signing phases until the last one arrived."""
    arrivals = [float(line) for line in (work / "mail.log").read_text().split()]
    start, end = signing
    during = sum(start <= moment <= end for moment in arrivals)
    after = [moment for moment in arrivals if moment > signed_until]
    after_seconds = max(after) - signed_until if after else 0
    return {
        "sent": len(arrivals),
        "during_signing_per_second": round(during / (end - start), 1) if end > start else 0,
        "after_signing": len(after),
        "after_signing_per_second": round(len(after) / after_seconds, 1) if after_seconds else 0,
    }


def start_server(env: dict, work: Path) -> subprocess.Popen:
    log = (work / "serve.log").open("w")
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_live(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/health/live", timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("firma did not start: see the serve.log in the bench's temporary folder")


def signing_request(base: str) -> load.Request:
    """Sign POSTs from distinct people: a distinct e-mail, and a distinct address forwarded by
    the trusted proxy, each sent as a browser sends the page's form: from firma's own origin."""
    page = f"{base}/en/p/{PETITION}/"

    def body(number: int) -> str:
        return (
            f"full_name=Bench+Signer+{number}&organization=Union"
            f"&country=AR&email=bench{number}%40{PROVIDERS[number % len(PROVIDERS)]}&public=on"
        )

    def headers(number: int) -> dict:
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        return {
            "Origin": base,
            "Sec-Fetch-Site": "same-origin",
            "X-Forwarded-For": address,
            "Referer": page,
        }

    return load.post_form(f"{page}sign/", body, headers)


def read_phases(args: argparse.Namespace):
    """How the read phases are sent: by wrk for --read-seconds, or by bench/load.py."""
    use_wrk = args.client == "wrk" or (args.client == "auto" and wrk.available())
    n, c = args.requests, args.connections

    def read(url: str, *, many: bool = True) -> dict:
        if use_wrk:
            return wrk.run(url, args.read_seconds, c, many=many)
        request = load.get_from_many(url) if many else load.get(url)
        return {**load.run(url, request, n // 2, c).summary(), "client": "python"}

    return read, use_wrk


def measure(base: str, args: argparse.Namespace, env: dict, work: Path) -> dict:
    n, c = args.requests, args.connections
    page, api = f"{base}/en/p/{PETITION}/", f"{base}/api/petitions/{PETITION}"
    read, use_wrk = read_phases(args)
    health = f"{base}/health/live"
    results = {"baseline": {**load.run(base, load.get(health), n, c).summary(), "client": "python"}}
    if use_wrk:  # each phase is read against the baseline of the generator that sent it
        results["baseline_wrk"] = read(health, many=False)
    # Reads alone come first, while the worker is idle: signing leaves it e-mails to send.
    load.run(base, load.get_from_many(page), c, c)  # the first render of the page
    results["page"] = read(page)
    results["api"] = read(api)
    # The same through nginx's micro-cache, from as many readers.
    cached = f"http://127.0.0.1:{args.port + 1}"
    for path in (f"/en/p/{PETITION}/", f"/api/petitions/{PETITION}"):
        load.run(cached, load.get_from_many(cached + path), c, c)
    results["page_cached"] = read(f"{cached}/en/p/{PETITION}/")
    results["api_cached"] = read(f"{cached}/api/petitions/{PETITION}")
    sign = signing_request(base)
    signing_started = time.time()
    signed = load.run(base, sign, n, c)
    signing = (signing_started, time.time())
    results["sign"] = signed.summary()

    # Reads while signing goes on at a steady 500 a second, in another thread.
    steady: dict = {}
    background = threading.Thread(
        target=lambda: steady.update(result=load.run(base, sign, n // 4, 10, rate=500, first=n))
    )
    background.start()
    results["page_while_signing"] = load.run(
        base, load.get_from_many(page), n // 4, c // 2
    ).summary()
    results["api_while_signing"] = load.run(base, load.get_from_many(api), n // 4, c // 2).summary()

    background.join()
    signed_until = time.time()
    results["steady_sign"] = steady["result"].summary()
    accepted = signed.statuses[302] + steady["result"].statuses[302]
    # The e-mails first: a signature confirmed before its e-mail left is sent none.
    results["queue"] = drain(env)
    results["mail"] = mail_rates(work, signing, signed_until)
    results["correctness"] = check_counts(env, accepted, cached)

    # Flat with size: the same pages for a small and a large petition, in alternating rounds, so
    # that a passing disturbance (the reconciliation, a checkpoint) falls on both alike.
    sized = {f"{kind}_{size}": load.Result() for kind in ("page", "api") for size in SIZES}
    for size in SIZES:
        load.run(base, load.get_from_many(f"{base}/en/p/bench-{size}/"), c, c)  # first render
    for _round in range(SIZE_ROUNDS):
        for size in SIZES:
            page, api = f"{base}/en/p/bench-{size}/", f"{base}/api/petitions/bench-{size}"
            per_round = n // 2 // SIZE_ROUNDS
            sized[f"page_{size}"].add(load.run(base, load.get_from_many(page), per_round, c))
            sized[f"api_{size}"].add(load.run(base, load.get_from_many(api), per_round, c))
    results.update({name: result.summary() for name, result in sized.items()})
    results["size"] = {
        "signatures": {"small": args.small, "large": args.large},
        "page_p50_ratio": ratio(results["page_large"], results["page_small"]),
        "api_p50_ratio": ratio(results["api_large"], results["api_small"]),
    }
    return results


def drain(env: dict) -> dict:
    """What the worker still had to send after the signing phases, and how fast it sent it:
    the size phase then compares two petitions on an idle machine."""
    return json.loads(manage(env, "shell", "-v0", "-c", (BENCH / "drain.py").read_text()))


def ratio(large: dict, small: dict) -> float:
    return round(large["p50_ms"] / small["p50_ms"], 2) if small["p50_ms"] else 0.0


def check_counts(env: dict, accepted: int, cached: str) -> dict:
    """Stored signatures against accepted POSTs; then, all confirmed, the count shown against a
    recount from the table, and how soon the count through the micro-cache showed it."""
    cache.count(cached, PETITION)  # the cache holds the count from before the confirmations
    counts = json.loads(manage(env, "shell", "-v0", "-c", (BENCH / "recount.py").read_text()))
    confirmed = time.monotonic()
    seen = cache.seconds_until_seen(cached, PETITION, counts["recount"], confirmed)
    time.sleep(max(0, COUNTING_INTERVAL - (time.monotonic() - confirmed)))
    api = json.load(urllib.request.urlopen(f"{env['BASE_URL']}/api/petitions/{PETITION}"))
    shown = api["signature_count"]
    same = accepted == counts["stored"] == counts["distinct"] == counts["recount"] == shown
    fresh = seen is not None and seen <= cache.COUNT_MAX_AGE
    return {
        "accepted": accepted,
        **counts,
        "shown": shown,
        "cached_count_seen_after_s": seen,
        "ok": same and fresh,
    }


def report(results: dict, database: str, args: argparse.Namespace) -> Path:
    baselines = {
        row["client"]: row["per_second"]
        for name, row in results.items()
        if name.startswith("baseline")
    }
    print(
        f"\nfirma benchmark: {database}, {args.workers} workers, {args.connections} connections,"
        f" lean path {args.lean}, ledger {args.ledger}\n"
    )
    print(
        f"{'phase':<20}{'client':>7}{'req/s':>9}{'/ base':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}  statuses"
    )
    for name, row in results.items():
        if name in ("correctness", "size", "queue", "mail"):
            continue
        client = row.get("client", "python")
        baseline = baselines.get(client, 0)
        ratio = row["per_second"] / baseline if baseline else 0
        print(
            f"{name:<20}{client:>7}{row['per_second']:>9.0f}{ratio:>9.0%}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}  {row['statuses']}"
        )
    print(f"\ne-mails waiting after the signing phases, and the worker's rate: {results['queue']}")
    print(f"e-mails received by the mail server: {results['mail']}")
    print(f"size: {results['size']}")
    print(f"correctness: {results['correctness']}")
    folder = BENCH / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{database}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    summary = {
        "database": database,
        "workers": args.workers,
        "lean": args.lean,
        "ledger": args.ledger,
        **results,
    }
    path.write_text(json.dumps(summary, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return path


if __name__ == "__main__":
    main()
