"""Deadlines and seller quality end to end (docs/contract.md, «Deadlines and seller quality»).

The real CLI runs as a subprocess against the sandbox; only the emulated amoCRM (its tasks,
notes and request log), the emulated Telegram and the CLI's output are looked at.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from app.sandbox.amo.tasks import MANAGER_USER_ID, Tasks
from app.sandbox.http import EmulatorServer
from app.sandbox.seed import demo_history, goods_entry, make_order, to_ms
from app.sandbox.server import Sandbox
from app.sandbox.telegram_emulator import TelegramEmulator
from tests.acceptance.support import Cli, common_notes, describe, now_utc, the_lead

HOUR_MS = 3_600_000
BOT_TOKEN = "123456:deadline-bot-token-abcdefghijklmnopqrstuv"
CHAT_ID = "4242"


def _poll_ok(cli: Cli, **kwargs: Any) -> Any:
    result = cli.poll(**kwargs)
    assert result.returncode == 0, describe(result)
    return result


def tasks_of(sandbox: Any, code: str) -> list[dict[str, Any]]:
    return sandbox.amo.resource(Tasks).for_lead(the_lead(sandbox, code)["id"])


def all_tasks(sandbox: Any) -> list[dict[str, Any]]:
    return list(sandbox.amo.resource(Tasks).items.values())


def task_posts(sandbox: Any) -> int:
    return sum(1 for method, path, _ in sandbox.amo.request_log if method == "POST" and path == "/api/v4/tasks")


def api_requests(sandbox: Any) -> int:
    return sum(1 for _, path, _ in sandbox.amo.request_log if path.startswith("/api/v4"))


def kd_order(code: str, *, created_hours: float, planned: datetime, assembled: bool = False, **fields: Any) -> Any:
    return make_order(code, created=now_utc() - timedelta(hours=created_hours), state="KASPI_DELIVERY",
                      status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_REGIONAL_TODOOR", is_kaspi_delivery=True,
                      payment_mode="PREPAID", handover_planned_ms=to_ms(planned), assembled=assembled,
                      entries=[goods_entry("PHILIPS-HD9252-90")], **fields)


@pytest.fixture
def telegram() -> Iterator[TelegramEmulator]:
    emulator = TelegramEmulator(token=BOT_TOKEN, chats=[CHAT_ID])
    with EmulatorServer(emulator) as server:
        emulator.url = server.url  # type: ignore[attr-defined]
        yield emulator


def telegram_env(telegram: TelegramEmulator) -> dict[str, str]:
    return {"ALERT_TELEGRAM_BOT_TOKEN": BOT_TOKEN, "ALERT_TELEGRAM_CHAT_ID": CHAT_ID,
            "TELEGRAM_API_URL": telegram.url}  # type: ignore[attr-defined]


# --- acceptance ---------------------------------------------------------------------------------


def test_an_order_waiting_past_the_accept_minutes_gets_one_task(sandbox: Sandbox, cli: Cli) -> None:
    late = make_order("891000001", created=now_utc() - timedelta(minutes=95), phone="7019100001")
    fresh = make_order("891000002", created=now_utc() - timedelta(minutes=20), phone="7019100002")
    taken = make_order("891000003", created=now_utc() - timedelta(hours=2), phone="7019100003",
                       state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    sandbox.kaspi.add_orders([late, fresh, taken])
    _poll_ok(cli)

    (task,) = tasks_of(sandbox, "891000001")
    assert task["text"].startswith("Принять заказ Kaspi"), task["text"]
    assert "#891000001" in task["text"]
    assert task["complete_till"] == (late.created_ms + 3 * HOUR_MS) // 1000  # creationDate + 3 hours
    assert task["entity_type"] == "leads" and task["is_completed"] is False
    assert task["responsible_user_id"] == the_lead(sandbox, "891000001")["responsible_user_id"]
    assert "Express" in task["text"] and "3 рабочих часа" in task["text"]  # Kaspi's real clocks, named
    assert tasks_of(sandbox, "891000002") == [] and tasks_of(sandbox, "891000003") == []

    before = api_requests(sandbox)
    _poll_ok(cli)  # nothing new, nothing due: not one amoCRM request
    assert api_requests(sandbox) == before
    assert len(all_tasks(sandbox)) == 1


def test_the_accept_minutes_setting_and_the_deals_responsible_user(sandbox: Sandbox, cli: Cli) -> None:
    order = make_order("891000011", created=now_utc() - timedelta(minutes=40), phone="7019100011")
    sandbox.kaspi.add_order(order)
    _poll_ok(cli)
    assert tasks_of(sandbox, "891000011") == []  # 40 minutes: not yet (ALERT_ACCEPT_MINUTES 60)
    lead = the_lead(sandbox, "891000011")
    # a manager takes the deal over in amoCRM
    token = cli.env["AMO_ACCESS_TOKEN"]
    answer = requests.patch(f"{sandbox.amo_base_url}/api/v4/leads/{lead['id']}",
                            json={"responsible_user_id": MANAGER_USER_ID},
                            headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    _poll_ok(cli, extra={"ALERT_ACCEPT_MINUTES": "30"})
    (task,) = tasks_of(sandbox, "891000011")
    assert task["responsible_user_id"] == MANAGER_USER_ID
    assert task["complete_till"] == (order.created_ms + 3 * HOUR_MS) // 1000
    _poll_ok(cli, extra={"ALERT_ACCEPT_MINUTES": "0"})  # 0 switches the reminder off; nothing new anyway
    assert len(tasks_of(sandbox, "891000011")) == 1


def test_an_order_accepted_before_the_next_poll_gets_no_task(sandbox: Sandbox, cli: Cli) -> None:
    order = make_order("891000021", created=now_utc() - timedelta(minutes=50), phone="7019100021")
    sandbox.kaspi.add_order(order)
    _poll_ok(cli, extra={"ALERT_ACCEPT_MINUTES": "70"})
    sandbox.kaspi.set_status("891000021", state="DELIVERY", status="ACCEPTED_BY_MERCHANT")
    _poll_ok(cli, extra={"ALERT_ACCEPT_MINUTES": "30"})
    assert tasks_of(sandbox, "891000021") == []
    sandbox.kaspi.set_status("891000021", state="ARCHIVE", status="CANCELLED", cancellation_reason="BUYER_NOT_REACHABLE")
    _poll_ok(cli, extra={"ALERT_ACCEPT_MINUTES": "30"})  # cancelled: left the allowed states, still seen
    assert tasks_of(sandbox, "891000021") == []


# --- handover -----------------------------------------------------------------------------------


def test_kaspi_delivery_handover_gets_one_task_and_a_moved_date_one_note(sandbox: Sandbox, cli: Cli) -> None:
    soon = now_utc() + timedelta(hours=3)
    due = kd_order("892000001", created_hours=20, planned=soon, phone="7019200001")
    later = kd_order("892000002", created_hours=20, planned=now_utc() + timedelta(hours=6), phone="7019200002")
    packed = kd_order("892000003", created_hours=20, planned=soon, assembled=True, phone="7019200003")
    sandbox.kaspi.add_orders([due, later, packed])
    _poll_ok(cli)

    (task,) = tasks_of(sandbox, "892000001")
    assert task["text"].startswith("Собрать заказ Kaspi") and "#892000001" in task["text"]
    assert task["complete_till"] == due.handover_planned_ms // 1000  # the planned handover itself
    assert tasks_of(sandbox, "892000002") == []  # 6 hours ahead: outside ALERT_HANDOVER_HOURS (4)
    assert tasks_of(sandbox, "892000003") == []  # already assembled

    moved_to = soon + timedelta(days=1)
    sandbox.kaspi.set_handover("892000001", planned=moved_to)
    _poll_ok(cli)
    _poll_ok(cli)
    lead = the_lead(sandbox, "892000001")
    moved = [n for n in common_notes(sandbox, lead["id"]) if "перенёс" in n]
    assert len(moved) == 1, common_notes(sandbox, lead["id"])
    kz = timezone(timedelta(hours=5))
    assert soon.astimezone(kz).strftime("%H:%M %d.%m") in moved[0]
    assert moved_to.astimezone(kz).strftime("%H:%M %d.%m") in moved[0]
    assert len(tasks_of(sandbox, "892000001")) == 1  # the task is not made again

    _poll_ok(cli, extra={"ALERT_HANDOVER_HOURS": "7"})
    (task,) = tasks_of(sandbox, "892000002")
    assert task["complete_till"] == later.handover_planned_ms // 1000


def task_patches(sandbox: Any) -> list[str]:
    return [c for c in api_calls(sandbox, 0) if c.startswith("PATCH /api/v4/tasks")]


def api_calls(sandbox: Any, since: int) -> list[str]:
    """amoCRM requests answered since `since` (a 429 of the emulator's 7 rps limit is the pacing's, retried)."""
    return [f"{m} {p}" for m, p, status in sandbox.amo.request_log[since:] if p.startswith("/api/v4") and status != 429]


def kz(when: datetime) -> str:
    return when.astimezone(timezone(timedelta(hours=5))).strftime("%H:%M %d.%m")


def as_manager(cli: Cli, sandbox: Any, task_id: int, body: dict[str, Any]) -> None:
    """A manager edits the task in amoCRM (closes it, rewrites it)."""
    for _ in range(20):  # a person is slower than the 7 rps limit; a test is not
        answer = requests.patch(f"{sandbox.amo_base_url}/api/v4/tasks/{task_id}", json=body,
                                headers={"Authorization": f"Bearer {cli.env['AMO_ACCESS_TOKEN']}"}, timeout=10)
        if answer.status_code != 429:
            break
        time.sleep(0.3)
    assert answer.status_code == 200, answer.text


def test_a_moved_handover_moves_the_open_task_once(sandbox: Sandbox, cli: Cli) -> None:
    soon = now_utc() + timedelta(hours=3)
    sandbox.kaspi.add_order(kd_order("892100001", created_hours=20, planned=soon, phone="7019210001"))
    _poll_ok(cli)
    (task,) = tasks_of(sandbox, "892100001")
    assert kz(soon) in task["text"]

    moved_to = soon + timedelta(days=1, minutes=30)
    sandbox.kaspi.set_handover("892100001", planned=moved_to)
    logged = len(sandbox.amo.request_log)
    _poll_ok(cli)
    # the note, one read of the deal's tasks, one PATCH: nothing else
    calls = api_calls(sandbox, logged)
    assert sorted(calls) == ["GET /api/v4/tasks", "PATCH /api/v4/tasks", "POST /api/v4/leads/notes"], calls
    (task,) = tasks_of(sandbox, "892100001")  # the same task, not a second one
    assert task["complete_till"] == int(moved_to.timestamp())
    assert task["text"].startswith("Собрать заказ Kaspi #892100001") and kz(moved_to) in task["text"]
    assert kz(soon) not in task["text"] and task["is_completed"] is False

    before = api_requests(sandbox)
    _poll_ok(cli)
    _poll_ok(cli)  # nothing moved: not one amoCRM request
    assert api_requests(sandbox) == before and len(task_patches(sandbox)) == 1

    again = moved_to + timedelta(hours=2)
    sandbox.kaspi.set_handover("892100001", planned=again)
    _poll_ok(cli)
    (task,) = tasks_of(sandbox, "892100001")
    assert task["complete_till"] == int(again.timestamp()) and kz(again) in task["text"]
    assert len(task_patches(sandbox)) == 2


def test_a_closed_or_rewritten_task_keeps_what_the_manager_did(sandbox: Sandbox, cli: Cli) -> None:
    soon = now_utc() + timedelta(hours=2)
    sandbox.kaspi.add_orders([kd_order("892200001", created_hours=20, planned=soon, phone="7019220001"),
                              kd_order("892200002", created_hours=20, planned=soon, phone="7019220002")])
    _poll_ok(cli)
    (closed,) = tasks_of(sandbox, "892200001")
    (rewritten,) = tasks_of(sandbox, "892200002")
    as_manager(cli, sandbox, closed["id"], {"is_completed": True, "result": {"text": "Собран"}})
    as_manager(cli, sandbox, rewritten["id"], {"text": "Позвонить на склад, собрать к вечеру"})

    moved_to = soon + timedelta(hours=5)
    for code in ("892200001", "892200002"):
        sandbox.kaspi.set_handover(code, planned=moved_to)
    _poll_ok(cli)
    (closed,) = tasks_of(sandbox, "892200001")
    assert closed["is_completed"] is True and closed["complete_till"] == int(soon.timestamp())  # left alone
    assert closed["result"] == {"text": "Собран"}
    (rewritten,) = tasks_of(sandbox, "892200002")
    assert rewritten["complete_till"] == int(moved_to.timestamp())  # the date moves…
    assert rewritten["text"] == "Позвонить на склад, собрать к вечеру"  # …the manager's words stay
    for code in ("892200001", "892200002"):  # the note is written either way
        assert len([n for n in common_notes(sandbox, the_lead(sandbox, code)["id"]) if "перенёс" in n]) == 1
    patches = len(task_patches(sandbox))
    _poll_ok(cli)
    assert len(task_patches(sandbox)) == patches


def test_a_handover_moved_before_its_task_was_due_needs_no_update(sandbox: Sandbox, cli: Cli) -> None:
    planned = now_utc() + timedelta(hours=6)
    sandbox.kaspi.add_order(kd_order("892300001", created_hours=20, planned=planned, phone="7019230001"))
    _poll_ok(cli)
    moved_to = planned + timedelta(hours=1)
    sandbox.kaspi.set_handover("892300001", planned=moved_to)
    _poll_ok(cli)
    assert tasks_of(sandbox, "892300001") == [] and task_patches(sandbox) == []
    assert not any(m == "GET" and p == "/api/v4/tasks" for m, p, _ in sandbox.amo.request_log)
    _poll_ok(cli, extra={"ALERT_HANDOVER_HOURS": "8"})  # now due: made with the new date at once
    (task,) = tasks_of(sandbox, "892300001")
    assert task["complete_till"] == int(moved_to.timestamp()) and kz(moved_to) in task["text"]
    assert task_patches(sandbox) == []


@pytest.mark.parametrize("fault", ["lost_reply", "killed"])
def test_a_task_move_whose_reply_is_lost_or_whose_run_died_ends_right_once(sandbox: Sandbox, cli: Cli, fault: str) -> None:
    soon = now_utc() + timedelta(hours=3)
    sandbox.kaspi.add_order(kd_order("892400001", created_hours=20, planned=soon, phone="7019240001"))
    _poll_ok(cli)
    moved_to = soon + timedelta(hours=20)
    sandbox.kaspi.set_handover("892400001", planned=moved_to)
    proc_holder: list[Any] = []
    armed = threading.Event()
    armed.set()

    def strike(method: str, path: str, applied: bool) -> None:
        if method != "PATCH" or not path.startswith("/api/v4/tasks") or not armed.is_set():
            return
        if fault == "lost_reply" and not applied:
            armed.clear()
            sandbox.amo.apply_then_drop_next(1)  # amoCRM moves the task, the answer never arrives
        elif fault == "killed" and applied and proc_holder:
            armed.clear()
            os.kill(proc_holder[0].pid, signal.SIGKILL)  # dies before it reads the answer

    remove = sandbox.amo.on_request(strike)
    if fault == "killed":
        proc = cli.popen("poll")
        proc_holder.append(proc)
        proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL
    else:
        cli.poll()
    remove()
    assert not armed.is_set(), "the task was never patched"
    _poll_ok(cli)
    _poll_ok(cli)
    (task,) = tasks_of(sandbox, "892400001")
    assert task["complete_till"] == int(moved_to.timestamp()) and kz(moved_to) in task["text"]
    assert len([n for n in common_notes(sandbox, the_lead(sandbox, "892400001")["id"]) if "перенёс" in n]) == 1
    before = api_requests(sandbox)
    _poll_ok(cli)
    assert api_requests(sandbox) == before  # settled


# --- pickup -------------------------------------------------------------------------------------


def test_a_pickup_order_not_collected_for_two_days_gets_one_reminder(sandbox: Sandbox, cli: Cli) -> None:
    waiting = make_order("893000001", created=now_utc() - timedelta(hours=60), phone="7019300001", state="PICKUP",
                         status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    recent = make_order("893000002", created=now_utc() - timedelta(hours=30), phone="7019300002", state="PICKUP",
                        status="ACCEPTED_BY_MERCHANT", delivery_mode="DELIVERY_PICKUP")
    sandbox.kaspi.add_orders([waiting, recent])
    _poll_ok(cli)
    (task,) = tasks_of(sandbox, "893000001")
    assert task["text"].startswith("Напомнить покупателю забрать заказ Kaspi #893000001"), task["text"]
    # first seen already accepted: accepted at the latest when created, Kaspi cancels 3 days after
    assert task["complete_till"] == (waiting.created_ms + 72 * HOUR_MS) // 1000
    assert tasks_of(sandbox, "893000002") == []
    _poll_ok(cli)
    assert len(all_tasks(sandbox)) == 1


# --- exactly once -------------------------------------------------------------------------------


def test_a_task_whose_answer_is_lost_is_found_not_created_again(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("894000001", created=now_utc() - timedelta(minutes=90), phone="7019400001"))
    armed = threading.Event()
    armed.set()

    def lose_the_answer(method: str, path: str, applied: bool) -> None:
        if not applied and method == "POST" and path == "/api/v4/tasks" and armed.is_set():
            armed.clear()
            sandbox.amo.apply_then_drop_next(1)  # amoCRM creates the task, the answer never arrives

    remove = sandbox.amo.on_request(lose_the_answer)
    first = cli.poll()
    remove()
    assert not armed.is_set(), "the task was never sent"
    assert first.returncode == 1 and "не создаст её дважды" in first.stderr, describe(first)
    assert len(tasks_of(sandbox, "894000001")) == 1  # applied once

    posts = task_posts(sandbox)
    _poll_ok(cli)  # looks the task up (GET /api/v4/tasks) instead of posting it again
    assert task_posts(sandbox) == posts
    assert any(m == "GET" and p == "/api/v4/tasks" for m, p, _ in sandbox.amo.request_log)
    assert len(tasks_of(sandbox, "894000001")) == 1
    before = api_requests(sandbox)
    _poll_ok(cli)
    assert api_requests(sandbox) == before  # settled: nothing asked any more


def test_a_poll_killed_right_after_the_task_was_applied_makes_no_second_task(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("894000011", created=now_utc() - timedelta(minutes=90), phone="7019400011"))
    proc_holder: list[Any] = []

    def kill_after_apply(method: str, path: str, applied: bool) -> None:
        if applied and method == "POST" and path == "/api/v4/tasks" and proc_holder:
            os.kill(proc_holder[0].pid, signal.SIGKILL)  # the process dies before it reads the answer

    remove = sandbox.amo.on_request(kill_after_apply)
    proc = cli.popen("poll")
    proc_holder.append(proc)
    proc.communicate(timeout=120)
    remove()
    assert proc.returncode == -signal.SIGKILL
    assert len(tasks_of(sandbox, "894000011")) == 1
    _poll_ok(cli)
    _poll_ok(cli)
    assert len(tasks_of(sandbox, "894000011")) == 1


def test_two_polls_at_once_make_one_task(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_orders([make_order(f"89500000{i}", created=now_utc() - timedelta(minutes=80 + i),
                                         phone=f"70195000{i:02d}") for i in range(3)])
    procs = [cli.popen("poll") for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert "Traceback" not in out + err, out + err
    for i in range(3):
        assert len(tasks_of(sandbox, f"89500000{i}")) == 1


# --- alerts -------------------------------------------------------------------------------------


def test_each_deadline_alerts_once_on_telegram(sandbox, cli, telegram):
    sandbox.kaspi.add_orders([
        make_order("896000001", created=now_utc() - timedelta(minutes=100), phone="7019600001"),
        kd_order("896000002", created_hours=10, planned=now_utc() + timedelta(hours=2), phone="7019600002"),
    ])
    env = telegram_env(telegram)
    _poll_ok(cli, extra=env)
    texts = telegram.texts()
    assert len(texts) == 2, texts
    accept = next(t for t in texts if "896000001" in t)
    assert "ждёт принятия" in accept and "3 рабочих часа" in accept and "Что сделать сейчас" in accept
    handover = next(t for t in texts if "896000002" in t)
    assert "Передача задержана" in handover and "накладную" in handover
    _poll_ok(cli, extra=env)
    _poll_ok(cli, extra=env)
    assert len(telegram.texts()) == 2  # never twice


def test_a_failed_telegram_alert_is_sent_at_the_next_poll_once(sandbox, cli, telegram):
    sandbox.kaspi.add_order(make_order("896000011", created=now_utc() - timedelta(minutes=100), phone="7019600011"))
    telegram.fail_next(1, status=502)  # Telegram down for the first poll's alert
    env = telegram_env(telegram)
    cli.poll(extra=env)
    assert telegram.texts() == []
    _poll_ok(cli, extra=env)
    _poll_ok(cli, extra=env)
    assert len([t for t in telegram.texts() if "896000011" in t]) == 1


# --- quality ------------------------------------------------------------------------------------


def seed_history(sandbox: Any) -> None:
    """The demo's 30 days: 60 archived orders, 2 cancelled by the shop's fault."""
    sandbox.kaspi.add_orders(demo_history(now_utc()))


def test_quality_counts_thirty_days_from_kaspi_only(sandbox: Sandbox, cli: Cli) -> None:
    seed_history(sandbox)
    now = now_utc()
    sandbox.kaspi.add_orders([
        make_order("897000001", created=now - timedelta(days=31), state="ARCHIVE", status="CANCELLED",
                   cancellation_reason="MERCHANT_OUT_OF_STOCK", phone="7019700001"),  # older than 30 days
        make_order("897000002", created=now - timedelta(hours=5), state="ARCHIVE", status="CANCELLED",
                   cancellation_reason="BUYER_CANCELLATION_BY_MERCHANT", phone="7019700002"),
        make_order("897000003", created=now - timedelta(hours=3), phone="7019700003"),
    ])
    amo_before = api_requests(sandbox)
    kaspi_before = len(sandbox.kaspi.request_log)
    result = cli.run("quality", "--json")
    assert result.returncode == 0, describe(result)
    data = json.loads(result.stdout)
    assert set(data) == {"window_days", "orders", "cancelled_by_merchant", "cancellation_rate",
                         "cancellation_limit", "status"}
    assert data["window_days"] == 30 and data["orders"] == 62 and data["cancelled_by_merchant"] == 2
    assert data["cancellation_rate"] == pytest.approx(2 / 62) and data["cancellation_limit"] == 0.03
    assert data["status"] == "over"  # 3.2 % > 3 %
    assert api_requests(sandbox) == amo_before  # Kaspi only
    assert len(sandbox.kaspi.request_log) - kaspi_before == 3  # 14 + 14 + 2 days, one page each

    human = cli.run("quality")
    assert human.returncode == 0 and "62" in human.stdout and "3,23%" in human.stdout, describe(human)


@pytest.mark.parametrize(("extra_orders", "status"), [(34, "ok"), (16, "warning"), (6, "over")])
def test_quality_status_bands(sandbox, cli, extra_orders, status):
    """2 merchant cancellations of 60 history orders plus `extra_orders`: 2/94 = 2.1 % ok,
    2/76 = 2.6 % warning (from 2.4 %), 2/66 = 3.03 % over."""
    seed_history(sandbox)
    sandbox.kaspi.add_orders([make_order(f"8980000{i:02d}", created=now_utc() - timedelta(hours=2 + i),
                                         state="ARCHIVE", status="COMPLETED", phone=f"70198000{i:02d}")
                              for i in range(extra_orders)])
    data = json.loads(cli.run("quality", "--json").stdout)
    assert data["orders"] == 60 + extra_orders and data["status"] == status


def test_reconcile_reads_quality_and_alerts_once_when_it_turns_bad(sandbox, cli, telegram):
    seed_history(sandbox)
    env = telegram_env(telegram)
    result = cli.run("reconcile", extra=env)
    assert result.returncode == 0, describe(result)
    texts = [t for t in telegram.texts() if "Доля отмен" in t]
    assert len(texts) == 1 and "3,3%" in texts[0] and "выше предела" in texts[0], texts  # 2 of 60
    assert "7 дней" in texts[0]  # what Kaspi will do
    cli.run("reconcile", extra=env)
    _poll_ok(cli, extra=env)
    assert len([t for t in telegram.texts() if "Доля отмен" in t]) == 1


def test_a_dry_run_makes_no_task_and_decides_nothing(sandbox: Sandbox, cli: Cli) -> None:
    sandbox.kaspi.add_order(make_order("899100001", created=now_utc() - timedelta(minutes=90), phone="7019910001"))
    _poll_ok(cli)  # the deal (and its task)
    lead = the_lead(sandbox, "899100001")
    sandbox.kaspi.add_order(make_order("899100002", created=now_utc() - timedelta(minutes=90), phone="7019910002"))
    dry = cli.poll(extra={"DRY_RUN": "true"})
    assert dry.returncode == 0, describe(dry)
    assert sandbox.amo.leads_named("Kaspi #899100002") == []
    assert len(sandbox.amo.resource(Tasks).for_lead(lead["id"])) == 1
    assert task_posts(sandbox) == 1
    _poll_ok(cli)
    assert len(tasks_of(sandbox, "899100002")) == 1 and task_posts(sandbox) == 2
