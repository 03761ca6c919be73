"""Runs every check of scim2-tester against a SCIM server and prints one line per
check, then `scim: N passed, M failed, K skipped`. A failure whose title (or
`title: urn` for the per-attribute PATCH checks) is in the allow-list is
reported as expected, with its reason; any other failure makes the exit
status 1. Usage: scim_check.py BASE_URL TOKEN ALLOW_LIST_FILE"""
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

PASSED = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}


def allowed(path):
    entries = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, why = line.partition(" | ")
                entries[key.strip()] = why.strip()
    return entries


def name_of(result):
    urn = result.data.get("urn") if isinstance(result.data, dict) else None
    return f"{result.title}: {urn}" if urn else (result.title or "?")


def main():
    base, token, allow_file = sys.argv[1], sys.argv[2], sys.argv[3]
    expected = allowed(allow_file)
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client)
    passed = failed = skipped = 0
    unexpected = []
    for r in results:
        name = name_of(r)
        if r.status in PASSED:
            passed += 1
            print(f"  ok    {name}")
        elif r.status == Status.SKIPPED:
            skipped += 1
            print(f"  skip  {name}: {r.reason}")
        else:
            failed += 1
            if name in expected:
                print(f"  FAIL  {name} (expected: {expected[name]})")
            else:
                unexpected.append(name)
                print(f"  FAIL  {name}: {r.status.name}: {r.reason}")
    print(f"scim: {passed} passed, {failed} failed, {skipped} skipped"
          + (f" ({len(unexpected)} unexpected)" if unexpected else ""))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
