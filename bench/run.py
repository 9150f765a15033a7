"""firma's benchmark: `make bench` (or `python bench/run.py`), on SQLite or DATABASE_URL.

Starts firma with its production server and settings (`make serve`) on loopback, then measures
with bench/load.py, in one run and with a fixed number of requests per phase:

1. the baseline: /health/live on the same server, workers and middleware;
2. signing: full sign POSTs (with the Origin and Sec-Fetch-Site a browser sends, a distinct
   e-mail and a distinct client address per request, through TRUSTED_PROXIES, so that the rate
   limits see a spike from many people, as a real one is);
3. reading: the petition page and the API, alone (before any signing, the worker idle) and
   while signing runs at a steady rate;
4. correctness: stored signatures equal accepted POSTs, none twice, and once they are confirmed
   the count shown equals a recount within the counting interval;
5. size: the page and the API of a petition with --small signatures against one with --large
   (a million by default, made by `manage.py generate_signatures` before the server starts).

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

import load

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
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="firma-bench-"))
    env = production_env(work, args)
    base = f"http://127.0.0.1:{args.port}"
    database = env["DATABASE_URL"].split(":")[0]
    prepare(env, args)
    server = start_server(env, work)
    try:
        wait_until_live(base)
        results = measure(base, args, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
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
        "EMAIL_URL": "dummymail://",
        "CACHE_DIR": str(work / "cache"),
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


def measure(base: str, args: argparse.Namespace, env: dict) -> dict:
    n, c = args.requests, args.connections
    page, api = f"{base}/en/p/{PETITION}/", f"{base}/api/petitions/{PETITION}"
    results = {"baseline": load.run(base, load.get(f"{base}/health/live"), n, c).summary()}
    # Reads alone come first, while the worker is idle: signing leaves it e-mails to send.
    load.run(base, load.get_from_many(page), c, c)  # the first render of the page
    results["page"] = load.run(base, load.get_from_many(page), n // 2, c).summary()
    results["api"] = load.run(base, load.get_from_many(api), n // 2, c).summary()
    sign = signing_request(base)
    signed = load.run(base, sign, n, c)
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
    results["steady_sign"] = steady["result"].summary()
    accepted = signed.statuses[302] + steady["result"].statuses[302]
    results["correctness"] = check_counts(env, accepted)
    results["queue"] = drain(env)

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


def check_counts(env: dict, accepted: int) -> dict:
    """Stored signatures against accepted POSTs; then, all confirmed, the count shown against a
    recount from the table."""
    counts = json.loads(manage(env, "shell", "-v0", "-c", (BENCH / "recount.py").read_text()))
    time.sleep(COUNTING_INTERVAL)
    api = json.load(urllib.request.urlopen(f"{env['BASE_URL']}/api/petitions/{PETITION}"))
    shown = api["signature_count"]
    same = accepted == counts["stored"] == counts["distinct"] == counts["recount"] == shown
    return {"accepted": accepted, **counts, "shown": shown, "ok": same}


def report(results: dict, database: str, args: argparse.Namespace) -> Path:
    baseline = results["baseline"]["per_second"]
    print(
        f"\nfirma benchmark: {database}, {args.workers} workers, {args.connections} connections\n"
    )
    print(
        f"{'phase':<20}{'req/s':>9}{'/ base':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses"
    )
    for name, row in results.items():
        if name in ("correctness", "size", "queue"):
            continue
        ratio = row["per_second"] / baseline if baseline else 0
        print(
            f"{name:<20}{row['per_second']:>9.0f}{ratio:>11.0%}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}  {row['statuses']}"
        )
    print(f"\ne-mails waiting after the signing phases, and the worker's rate: {results['queue']}")
    print(f"size: {results['size']}")
    print(f"correctness: {results['correctness']}")
    folder = BENCH / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{database}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    summary = {"database": database, "workers": args.workers, **results}
    path.write_text(json.dumps(summary, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return path


if __name__ == "__main__":
    main()
