#!/usr/bin/env python3
"""Real-browser smoke test: starts the built server on a fresh database, signs in with
headless Chromium and reads the organisation list, as a new user would.

Usage: Tests/browser/smoke.py [path-to-inspectorate-binary]
Needs Debian's chromium and chromium-driver, and selenium from PyPI.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/inspectorate"
PORT = int(os.environ.get("SMOKE_PORT", "8099"))
BASE = f"http://127.0.0.1:{PORT}"
EMAIL, PASSWORD = "smoke-admin@example.org", "a long smoke test passphrase"


def wait_until_ready(process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{BASE}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not become ready")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def main():
    data = tempfile.mkdtemp(prefix="inspectorate-smoke-")
    env = dict(os.environ, INSPECTORATE_SQLITE_PATH=os.path.join(data, "smoke.sqlite"),
               INSPECTORATE_ADMIN_EMAIL=EMAIL, INSPECTORATE_ADMIN_PASSWORD=PASSWORD)
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([BINARY, "serve", "--port", str(PORT)], env=env, stdout=log, stderr=subprocess.STDOUT)
    checks = 0
    try:
        wait_until_ready(server)
        driver = browser()
        wait = WebDriverWait(driver, 15)
        try:
            driver.get(f"{BASE}/organisations")
            wait.until(EC.url_contains("/sign-in"))
            driver.find_element(By.ID, "email").send_keys(EMAIL)
            driver.find_element(By.ID, "password").send_keys("wrong password entirely")
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            summary = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
            assert "incorrect" in summary.text, summary.text
            checks += 1
            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            wait.until(EC.url_matches(r"/organisations$"))
            checks += 1
            rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
            assert len(rows) == 46, f"expected 46 organisations, saw {len(rows)}"
            names = [row.find_element(By.CSS_SELECTOR, "td a").text for row in rows]
            for expected in ["Metropolitan Police Service", "West Midlands Police", "British Transport Police",
                             "Police Service of Northern Ireland", "Serious Organised Crime Agency"]:
                assert expected in names, f"{expected} missing"
            checks += 1
            driver.find_element(By.LINK_TEXT, "Population (2011)").click()
            wait.until(EC.url_contains("order=asc"))
            driver.find_element(By.LINK_TEXT, "Population (2011)").click()
            wait.until(EC.url_contains("order=desc"))
            first = driver.find_element(By.CSS_SELECTOR, "table tbody tr td a").text
            assert first == "Metropolitan Police Service", f"sorted by population, first was {first}"
            checks += 1
            driver.find_element(By.LINK_TEXT, "West Midlands Police").click()
            wait.until(EC.url_contains("/organisations/west-midlands"))
            assert "6,546" in driver.page_source and "2,736,460" in driver.page_source
            checks += 1
            # Vetting recorded from the command line, in another process, takes effect at once.
            subprocess.run([BINARY, "user", "vetting", EMAIL, "--level", "sc", "--granted", "2026-01-01", "--reference", "UKSV-SMOKE"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            driver.get(f"{BASE}/sharing")
            driver.find_element(By.ID, "name").send_keys("CTLP West Midlands")
            driver.find_element(By.XPATH, "//button[text()='Start the group']").click()
            wait.until(EC.url_contains("/sharing/groups/"))
            document = os.path.join(data, "ctlp-summary.pdf")
            with open(document, "wb") as handle:
                handle.write(b"%PDF-1.4\n% fictitious CTLP summary\n" + b"0" * 300_000)
            driver.find_element(By.ID, "title").send_keys("CTLP summary")
            driver.find_element(By.CSS_SELECTOR, "#marking option[value='OFFICIAL-SENSITIVE']").click()
            driver.find_element(By.ID, "descriptors").send_keys("LOCSEN")
            driver.find_element(By.ID, "file").send_keys(document)
            driver.find_element(By.XPATH, "//button[text()='Share']").click()
            wait.until(EC.url_contains("/sharing/items/"))
            banners = driver.find_elements(By.CSS_SELECTOR, ".marking-banner")
            assert [b.text for b in banners] == ["OFFICIAL-SENSITIVE LOCSEN"] * 2, [b.text for b in banners]
            assert driver.find_element(By.PARTIAL_LINK_TEXT, "Download ctlp-summary.pdf")
            checks += 1
            driver.get(f"{BASE}/audit?action=document")
            assert "CTLP summary [OFFICIAL-SENSITIVE LOCSEN]" in driver.page_source
            driver.get(f"{BASE}/guidance/vetting")
            assert "Government Security Classifications" in driver.page_source
            checks += 1
            driver.find_element(By.CSS_SELECTOR, ".skip-link")
            driver.find_element(By.CSS_SELECTOR, "header button.link-button").click()
            wait.until(EC.url_contains("/sign-in"))
            checks += 1
        finally:
            driver.quit()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print(f"{checks} passed, 0 failed")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
