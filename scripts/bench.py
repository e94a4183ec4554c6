"""The benchmark (`make bench`): key pages against the layout-only page, at national scale.

For each database (SQLite in var/bench/, and PostgreSQL too when DATABASE_URL is set) it
makes the data once (migrate, reference data, demo personas, `manage.py bench_data`), serves
it with gunicorn (2 workers, on 127.0.0.1 only), signs each persona in through the real
sign-in (password, then the authenticator code from DEMO_TOTP_SECRET), and for each key page
keeps 16 connections busy for BENCH_SECONDS, counting requests per second and the 95th
percentile latency. The layout-only page (the accessibility statement, no queries) is
measured first, halfway and last in the same run; each page's ratio is its requests per
second over the mean of the three. Each page's query count is taken in this process, with the
same session cookie, on a second request. Prints the table and writes var/bench/<timestamp>.json.

Environment: BENCH_SCALE (default 1), BENCH_SECONDS (default 5), DATABASE_URL (optional,
a PostgreSQL database of its own, which the bench fills), BENCH_CONNECTIONS (default 16),
BENCH_FRESH=1 to make the SQLite data again.
"""

import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from totp import DEFAULT_SECRET, totp  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
SCALE = os.environ.get("BENCH_SCALE", "1")
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PASSWORD = os.environ.get("DEMO_PASSWORD", "engage-demo-password")
TOTP_SECRET = os.environ.get("DEMO_TOTP_SECRET") or DEFAULT_SECRET
OUT = ROOT / "var" / "bench"


def environment(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(OUT / "uploads"),
        "STATIC_ROOT": str(OUT / "static"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        # Every persona signs in from this one address: never throttle the bench.
        "LOGIN_FAILURES_PER_ADDRESS": "10000/15m",
    }
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare(env: dict[str, str]) -> float | None:
    """Make the data unless it is there; the generator's wall time, or None if reused."""
    manage(env, "migrate", "--noinput", "-v0")
    # DEBUG is off, as in production: WhiteNoise serves from STATIC_ROOT with a manifest.
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_reference_data")
    manage(env, "seed_demo")
    started = time.monotonic()
    generator = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "bench_data", "--scale", SCALE],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    output = ""
    for line in generator.stdout or []:  # as it goes: the generator takes minutes
        print(line, end="", flush=True)
        output += line
    if generator.wait():
        raise SystemExit("manage.py bench_data failed")
    return None if "already there" in output else time.monotonic() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, "/healthz", "")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def get(port: int, path: str, cookie: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Browser:
    """Just enough of a browser to sign in: cookies, CSRF tokens, redirects by hand."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers.get("Location", ""), content

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        _, _, page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise SystemExit(f"No CSRF token on {path}")
        status, location, _ = self.request(
            "POST", path, {"csrfmiddlewaretoken": match.group(1), **fields}
        )
        return status, location


def sign_in(port: int, email: str) -> str:
    """The session cookie of `email`, signed in as a person would."""
    browser = Browser(port)
    status, location = browser.post_form("/accounts/login/", {"login": email, "password": PASSWORD})
    if "2fa/authenticate" not in location:
        raise SystemExit(f"Signing in {email}: expected the code page, got {status} {location}")
    status, location = browser.post_form(
        "/accounts/2fa/authenticate/", {"code": totp(TOTP_SECRET, time.time())}
    )
    if status != 302 or "2fa" in location or "login" in location:
        raise SystemExit(f"Signing in {email}: the code was refused ({status} {location})")
    return f"sessionid={browser.cookies['sessionid']}"


def load(port: int, path: str, cookie: str) -> dict:
    """CONNECTIONS threads, each one request after another, for SECONDS."""
    get(port, path, cookie)  # warm: the first request of a page fills caches
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def worker() -> None:
        mine: list[float] = []
        seen: dict[int, int] = {}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _ = get(port, path, cookie, timeout=60)
            except OSError:
                status = 0
            mine.append(time.perf_counter() - started)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok = statuses.get(200, 0)
    return {
        "requests": len(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": ok / elapsed,
        "p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 1 else 0,
        "seconds": elapsed,
    }


def query_counts(env: dict[str, str], pages: list, cookies: dict[str, str]) -> dict[str, int]:
    """Each page's query count, through Django's test client with the page's own session."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in pages:
        client = Client()
        if page.persona:
            client.cookies["sessionid"] = cookies[page.persona].split("=", 1)[1]
        client.get(page.url)  # the steady state: the first may refresh the session
        with CaptureQueriesContext(connection) as captured:
            status = client.get(page.url).status_code
        counts[page.name] = len(captured) if status == 200 else -status
    return counts


def page_list(env: dict[str, str]):
    os.environ.update(env)
    import django

    django.setup()
    from engage.bench.pages import BASELINE, pages, summary

    return BASELINE, pages(), summary()


def run(database_url: str, label: str) -> dict:
    env = environment(database_url)
    print(f"\n== {label}: preparing the data at scale {SCALE}", flush=True)
    generated = prepare(env)
    baseline, pages, counts = page_list(env)
    port = free_port()
    server = serve(env, port)
    try:
        cookies = {
            email: sign_in(port, email) for email in sorted({p.persona for p in pages if p.persona})
        }
        print(f"== {label}: {len(cookies)} personas signed in; measuring", flush=True)
        first = load(port, baseline.url, "")
        results = []
        middle = None
        for index, page in enumerate(pages):
            if index == len(pages) // 2:
                middle = load(port, baseline.url, "")
            measured = load(port, page.url, cookies[page.persona])
            results.append(
                {"page": page.name, "persona": page.persona, "url": page.url, **measured}
            )
            print(f"   {page.name:38} {measured['rps']:8.1f}/s", flush=True)
        last = load(port, baseline.url, "")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    queries = query_counts(env, pages, cookies)
    base_rps = statistics.mean(run["rps"] for run in (first, middle or first, last))
    for result in results:
        result["ratio"] = result["rps"] / base_rps if base_rps else 0
        result["queries"] = queries[result["page"]]
    return {
        "database": label,
        "scale": float(SCALE),
        "seconds": SECONDS,
        "connections": CONNECTIONS,
        "generator_seconds": generated,
        "rows": counts,
        "baseline": {
            "page": baseline.name,
            "first": first,
            "middle": middle,
            "last": last,
            "rps": base_rps,
        },
        "pages": results,
    }


def table(report: dict) -> str:
    base = report["baseline"]
    lines = [
        f"{report['database']}, scale {report['scale']:g}, {report['connections']} connections, "
        f"{report['seconds']:g} s a page; rows: "
        + ", ".join(f"{k} {v:,}" for k, v in report["rows"].items()),
        f"data generated in {report['generator_seconds']:.0f} s"
        if report["generator_seconds"]
        else "data reused",
        f"baseline {base['page']}: {base['rps']:.0f} requests/s "
        f"(first {base['first']['rps']:.0f}, middle {base['middle']['rps']:.0f}, "
        f"last {base['last']['rps']:.0f})",
        f"{'page':40} {'rps':>8} {'ratio':>7} {'p95 ms':>8} {'queries':>8}  errors",
    ]
    for row in report["pages"]:
        errors = sum(v for k, v in row["statuses"].items() if k != "200")
        lines.append(
            f"{row['page']:40} {row['rps']:8.1f} {row['ratio']:6.3f}x {row['p95_ms']:8.0f} "
            f"{row['queries']:8}  {errors or ''}"
        )
    return "\n".join(lines)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / f"bench-scale-{SCALE}.sqlite3"
    if os.environ.get("BENCH_FRESH") == "1":
        for path in OUT.glob(f"bench-scale-{SCALE}.sqlite3*"):
            path.unlink()
        shutil.rmtree(OUT / "uploads", ignore_errors=True)
    databases = [(f"sqlite:///{sqlite}", "SQLite")]
    if os.environ.get("DATABASE_URL"):
        databases.append((os.environ["DATABASE_URL"], "PostgreSQL"))
    reports = []
    for url, label in databases:
        # Each database in a process of its own: Django is set up once per process.
        subprocess.run([PYTHON, __file__, "--one", url, label], cwd=ROOT, check=True)  # noqa: S603
        reports.append(json.loads((OUT / "last-one.json").read_text()))
    write(reports)


def write(reports: list[dict]) -> None:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = OUT / f"{stamp}.json"
    path.write_text(json.dumps(reports, indent=2))
    for report in reports:
        print()
        print(table(report))
    print(f"\nWritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "last-one.json").write_text(json.dumps(run(sys.argv[2], sys.argv[3])))
    else:
        main()
