"""The benchmark through nginx: `.venv/bin/python bench/cluster.py`.

Starts deploy/cluster (two app servers behind nginx and one worker, on the PostgreSQL and Redis
running here) in a fresh database, then runs bench/run.py's phases through nginx with
bench/load.py: the /health/live baseline, signing (a distinct e-mail and client address per
POST, the rate limits as they are), the petition page and the API, alone and while signing goes
on at a steady rate; then checks that the stored signatures equal the accepted POSTs and, all
confirmed, that the count shown equals a recount. Prints a table and writes JSON to
bench/results/cluster-*.json. The database and its keys in Redis are removed afterwards.
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
from pathlib import Path
from urllib.parse import urlsplit

import load
import redis
from run import PETITION, check_counts, manage, signing_request

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=8000, help="per measured phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8780, help="nginx; the app servers next")
    parser.add_argument("--workers", type=int, default=1, help="per app server")
    parser.add_argument("--threads", type=int, default=4, help="per worker process")
    parser.add_argument("--database", default="firma_bench_cluster")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="firma-bench-cluster-"))
    base = f"http://127.0.0.1:{args.port}"
    subprocess.run(postgres("dropdb", "--if-exists", "--force", args.database), check=True)
    subprocess.run(postgres("createdb", args.database), check=True)
    cluster = start_cluster(args, work)
    try:
        env = manage_env(args, base)
        add_petition(env, work)
        results = measure(base, args, env)
    finally:
        cluster.send_signal(signal.SIGINT)
        cluster.wait(timeout=60)
        subprocess.run(postgres("dropdb", "--force", args.database), check=True)
        forget_keys(args.database)
    report(results, args)


def postgres(program: str, *arguments: str) -> list[str]:
    return [program, "-h", "127.0.0.1", "-U", "postgres", *arguments]


def start_cluster(args: argparse.Namespace, work: Path) -> subprocess.Popen:
    """deploy/cluster, with the e-mails going nowhere, as in bench/run.py; once it answers."""
    log = work / "cluster.log"
    command = [str(ROOT / "deploy" / "cluster"), "--database", args.database]
    command += ["--port", str(args.port), "--app-ports", f"{args.port + 1},{args.port + 2}"]
    command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    command += ["--run-dir", str(work / "run")]
    env = {**os.environ, "EMAIL_URL": "dummymail://", "STATIC_ROOT": str(work / "static")}
    with log.open("w") as output:
        cluster = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while "Ctrl-C stops everything" not in log.read_text():
        if cluster.poll() is not None or time.monotonic() > deadline:
            cluster.terminate()
            sys.exit("deploy/cluster did not start:\n" + log.read_text())
        time.sleep(0.2)
    return cluster


def manage_env(args: argparse.Namespace, base: str) -> dict:
    """For manage.py commands on the cluster's database and cache."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "firma.settings",
        "DATABASE_URL": f"{POSTGRES}/{args.database}",
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": args.database,
        "BASE_URL": base,
    }


def add_petition(env: dict, work: Path) -> None:
    source = work / "bench.md"
    source.write_text(
        f'+++\nslug = "{PETITION}"\ntitle = "Benchmark petition"\nlanguage = "en"\n'
        'status = "open"\ngoal = 1000000\n+++\nA petition to measure firma with.\n'
    )
    manage(env, "import_petition", str(source))


def reading(url: str) -> load.Request:
    """GETs from distinct readers, as nginx forwards them: the API's limit per client network
    sees a crowd, as on a viral day, not one address."""
    parts = urlsplit(url)

    def build(number: int) -> bytes:
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        return (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"X-Forwarded-For: {address}\r\n\r\n"
        ).encode()

    return build


def measure(base: str, args: argparse.Namespace, env: dict) -> dict:
    n, c = args.requests, args.connections
    page = reading(f"{base}/en/p/{PETITION}/")
    api = reading(f"{base}/api/petitions/{PETITION}")
    results = {"baseline": load.run(base, load.get(f"{base}/health/live"), n, c).summary()}
    sign = signing_request(base)
    signed = load.run(base, sign, n, c)
    results["sign"] = signed.summary()
    results["page"] = load.run(base, page, n // 2, c).summary()
    results["api"] = load.run(base, api, n // 2, c).summary()

    # Reads while signing goes on at a steady 500 a second, in another thread.
    steady: dict = {}
    background = threading.Thread(
        target=lambda: steady.update(result=load.run(base, sign, n // 4, 10, rate=500, first=n))
    )
    background.start()
    results["page_while_signing"] = load.run(base, page, n // 4, c // 2, first=n).summary()
    results["api_while_signing"] = load.run(base, api, n // 4, c // 2, first=n).summary()
    background.join()
    results["steady_sign"] = steady["result"].summary()
    accepted = signed.statuses[302] + steady["result"].statuses[302]
    results["correctness"] = check_counts(env, accepted, base)
    return results


def forget_keys(prefix: str) -> None:
    keys = redis.Redis.from_url(REDIS)
    for key in keys.scan_iter(match=f"{prefix}:*", count=1000):
        keys.delete(key)
    keys.close()


def report(results: dict, args: argparse.Namespace) -> Path:
    baseline = results["baseline"]["per_second"]
    print(
        f"\nfirma benchmark through nginx: postgresql + redis, 2 app servers x {args.workers} "
        f"workers x {args.threads} threads, {args.connections} connections\n"
    )
    print(
        f"{'phase':<20}{'req/s':>9}{'/ base':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses"
    )
    for name, row in results.items():
        if name == "correctness":
            continue
        ratio = row["per_second"] / baseline if baseline else 0
        print(
            f"{name:<20}{row['per_second']:>9.0f}{ratio:>11.0%}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}  {row['statuses']}"
        )
    print(f"\ncorrectness: {results['correctness']}")
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"cluster-{time.strftime('%Y%m%d-%H%M%S')}.json"
    setup = {"app_servers": 2, "workers": args.workers, "threads": args.threads}
    path.write_text(json.dumps({"database": "postgresql", **setup, **results}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return path


if __name__ == "__main__":
    main()
