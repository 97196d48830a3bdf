#!/usr/bin/env python3
"""Two app instances sharing one PostgreSQL, as behind a proxy: a web session opened on
one is honoured by the other, and so is an API token.

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
