#!/usr/bin/env python3
"""Two app instances sharing one PostgreSQL, as behind a proxy: a web session opened on
one is honoured by the other, and so is an API token; a change made through one reaches
the other's read cache (INSPECTORATE_CACHE_REFRESH_MS, default 100 ms) within a second.

Usage: Tests/browser/two_instances.py BINARY POSTGRES_URL
"""
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BINARY, DATABASE_URL = sys.argv[1], sys.argv[2]
EMAIL, PASSWORD = "two-instances@example.org", "two instances share one database"
PORTS = [8111, 8112]


def wait(port, process):
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit(f"instance on {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"instance on {port} did not become ready")


def main():
    logs = tempfile.mkdtemp(prefix="inspectorate-instances-")
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, INSPECTORATE_ADMIN_EMAIL=EMAIL, INSPECTORATE_ADMIN_PASSWORD=PASSWORD)
    processes = []
    checks = 0
    try:
        # The first instance migrates and loads reference data; the second finds it done.
        for port in PORTS:
            log = open(os.path.join(logs, f"{port}.log"), "w")
            process = subprocess.Popen([BINARY, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
            processes.append(process)
            wait(port, process)
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(f"http://127.0.0.1:{PORTS[0]}/sign-in").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "_csrf": csrf, "next": "/organisations"}).encode()
        browser.open(f"http://127.0.0.1:{PORTS[0]}/sign-in", data=form)
        listing = browser.open(f"http://127.0.0.1:{PORTS[1]}/organisations").read().decode()
        assert "46 organisations" in listing, "session from instance 1 not honoured by instance 2"
        checks += 1
        request = urllib.request.Request(f"http://127.0.0.1:{PORTS[1]}/api/v1/tokens", method="POST",
                                         data=json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
                                         headers={"Content-Type": "application/json"})
        token = json.load(urllib.request.urlopen(request))["token"]
        request = urllib.request.Request(f"http://127.0.0.1:{PORTS[0]}/api/v1/organisations?region=Wales",
                                         headers={"Authorization": f"Bearer {token}"})
        body = json.load(urllib.request.urlopen(request))
        assert body["count"] == 4, body
        checks += 1

        def api(port, path, method="GET", data=None):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                             data=json.dumps(data).encode() if data is not None else None,
                                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status, json.load(response)
            except urllib.error.HTTPError as error:
                return error.code, None

        def within_a_second(check):
            deadline = time.time() + 1
            while not check():
                if time.time() > deadline:
                    return False
                time.sleep(0.02)
            return True

        # Instance 1 has the Welsh list cached; a partner registered through instance 2 joins it.
        status, _ = api(PORTS[1], "/api/v1/organisations", "POST", {"name": "Cardiff Council", "region": "Wales"})
        assert status == 201, status
        assert within_a_second(lambda: api(PORTS[0], "/api/v1/organisations?region=Wales")[1]["count"] == 5), \
            "instance 1 still lists what instance 2 changed"
        checks += 1
        # A token revoked through instance 2 stops working on instance 1.
        status, tokens = api(PORTS[1], "/api/v1/tokens")
        assert status == 200, status
        token_id = tokens["tokens"][0]["id"] if isinstance(tokens, dict) else tokens[0]["id"]
        assert api(PORTS[1], f"/api/v1/tokens/{token_id}", "DELETE")[0] == 200
        assert within_a_second(lambda: api(PORTS[0], "/api/v1/organisations")[0] == 401), \
            "instance 1 still accepts a token revoked through instance 2"
        checks += 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    print(f"{checks} passed, 0 failed")
    shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    main()
