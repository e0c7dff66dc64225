"""The fault matrix (scripts/fault_suite.py) as tests: the same case functions that write
docs/reliability.md, so the document and the tests cannot disagree.

Each case: a fresh sandbox with orders in flight, one fault, recovery runs until the backlog is
empty, then an audit of amoCRM — 0 duplicates (leads per code, notes per lead, contacts per
buyer phone, products per SKU), 0 lost and 0 incomplete orders. `slow` cases (every kill
point, a real 30 s timeout, a real 120 s lock wait) still run in CI.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from scripts import fault_suite as fs

KNOWN_BUGS = {key: finding.reason for finding in fs.FINDINGS for key in finding.cases}


def _param(case: fs.Case) -> object:
    marks = [pytest.mark.slow] if case.slow else []
    if case.key in KNOWN_BUGS:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case.key]))
    return pytest.param(case, marks=marks, id=case.key)


CASES = [c for c in fs.cases(quick=False) if not c.key.startswith("1/k=")]


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_fault_case(case: fs.Case, tmp_path: Path) -> None:
    result = fs.run_case(case, tmp_path)
    assert result.ok, result.explain()


def _kill_points(points: list[tuple[int, str]]) -> None:
    lines: list[str] = []
    results = fs.run_cases(fs.kill_cases(points, slow=False), workers=3, echo=lines.append)
    failed = [r for r in results if not r.ok]
    assert not failed, "\n".join(r.explain() for r in failed)


def test_kill_the_poll_process_at_sampled_requests() -> None:
    """SIGKILL `kaspi-amo poll` before/after amoCRM applies sampled requests (lead waves, catalog,
    links, notes); the next poll completes every order exactly once."""
    _kill_points(list(fs.QUICK_KILL_POINTS))


@pytest.mark.slow
def test_kill_the_poll_process_at_every_request(tmp_path: Path) -> None:
    """Every k of the clean poll's R amoCRM requests, before and after each is applied."""
    r = len(fs.clean_poll_requests(tmp_path))
    assert r <= fs.KILL_K_MAX, f"the clean poll now makes {r} amoCRM requests: raise KILL_K_MAX"
    _kill_points([p for p in fs.all_kill_points(r) if p not in fs.QUICK_KILL_POINTS])


def test_every_group_of_the_matrix_has_cases() -> None:
    groups = {c.group for c in fs.cases(quick=True)}
    assert groups == set(fs.GROUPS), "each row of the matrix runs in the quick suite"


def test_reliability_document_lists_every_case() -> None:
    """docs/reliability.md is regenerated whenever the matrix changes."""
    doc = fs.OUT.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", doc, flags=re.MULTILINE))
    quick = "`scripts/fault_suite.py --quick`" in doc
    expected = {c.key for c in fs.cases(quick=quick) if not c.key.startswith("1/k=")}
    missing = sorted(expected - listed)
    assert not missing, f"run `.venv/bin/python scripts/fault_suite.py` to regenerate the document; missing {missing}"
    for group in fs.GROUPS:
        assert re.search(rf"^\| {group} \|", doc, flags=re.MULTILINE), f"row {group} missing"


# --- the emulator's fault-injection hooks the matrix relies on ------------------------------------


def test_on_request_sees_each_request_before_and_after_it_is_applied() -> None:
    import requests

    from app.sandbox.http import DropConnection
    from app.sandbox.server import Sandbox

    with fs.quiet(Sandbox(seed=False)) as box:
        access, _refresh = box.amo.issue_tokens()
        seen: list[tuple[str, str, bool, int]] = []
        box.amo.on_request(lambda m, p, applied: seen.append((m, p, applied, len(box.amo.contacts))))
        headers = {"Authorization": f"Bearer {access}"}
        body = [{"name": "Покупатель"}]
        assert requests.post(box.amo_base_url + "/api/v4/contacts", json=body, headers=headers, timeout=10).ok
        assert seen == [("POST", "/api/v4/contacts", False, 0), ("POST", "/api/v4/contacts", True, 1)]

        def refuse(method: str, path: str, applied: bool) -> None:
            if not applied:
                raise DropConnection()

        remove = box.amo.on_request(refuse)
        try:
            requests.post(box.amo_base_url + "/api/v4/contacts", json=body, headers=headers, timeout=10)
        except requests.ConnectionError:
            pass
        else:
            raise AssertionError("the request was answered")
        assert len(box.amo.contacts) == 1  # dropped before: nothing applied
        remove()
        box.amo.delay_next(1, 0.6)
        try:
            requests.post(box.amo_base_url + "/api/v4/contacts", json=body, headers=headers, timeout=(5, 0.2))
        except requests.ReadTimeout:
            pass
        else:
            raise AssertionError("the delayed answer came in time")
        assert len(box.amo.contacts) == 2  # applied, answered late
        time.sleep(0.6)  # let the late answer hit the closed socket before the server stops
