"""GET /api/v4/account and the lead pipelines with their statuses (read-only, seeded)."""

from __future__ import annotations

import copy

from app.sandbox.amo import core
from app.sandbox.amo.state import AmoState
from app.sandbox.http import Request, Response


def seed_pipelines(state: AmoState) -> None:
    """Two pipelines: the Kaspi one the demo syncs into and the account's main one."""

    def status(sid: int, name: str, sort: int, pid: int, color: str, *, type_: int = 0,
               editable: bool = True) -> core.JSON:
        return {"id": sid, "name": name, "sort": sort, "is_editable": editable, "pipeline_id": pid,
                "color": color, "type": type_, "account_id": state.account_id}

    def pipeline(pid: int, name: str, sort: int, is_main: bool, stages: list[tuple[int, str, str]]) -> core.JSON:
        statuses = [status(pid * 10, "Неразобранное", 10, pid, "#c1c1c1", type_=1, editable=False)]
        statuses += [status(sid, sname, 20 + 10 * i, pid, color) for i, (sid, sname, color) in enumerate(stages)]
        statuses += [status(core.WON, "Успешно реализовано", 10000, pid, "#CCFF66", editable=False),
                     status(core.LOST, "Закрыто и не реализовано", 11000, pid, "#D5D8DB", editable=False)]
        return {"id": pid, "name": name, "sort": sort, "is_main": is_main, "is_unsorted_on": True,
                "is_archive": False, "account_id": state.account_id, "_embedded": {"statuses": statuses}}

    state.pipelines = [
        pipeline(7000001, "Kaspi заказы", 1, False, [
            (70000011, "Новый заказ", "#99ccff"), (70000012, "Принят", "#ffff99"),
            (70000014, "Собран", "#ffdd99"), (70000013, "Доставка", "#ffcc66"),
            (70000015, "Выдача покупателю", "#ccff99")]),
        pipeline(7000002, "Основная воронка", 2, True, [
            (70000021, "Первичный контакт", "#98cbff"), (70000022, "Переговоры", "#fffeb2"),
            (70000023, "Принимают решение", "#ffce5a")]),
    ]


def find_pipeline(state: AmoState, pid: int) -> core.JSON | None:
    return next((p for p in state.pipelines if p["id"] == pid), None)


def statuses_of(state: AmoState, pid: int) -> list[core.JSON]:
    pipeline = find_pipeline(state, pid)
    return list(pipeline["_embedded"]["statuses"]) if pipeline else []


def main_pipeline_id(state: AmoState) -> int:
    return int(next(p["id"] for p in state.pipelines if p["is_main"]))


def first_stage(state: AmoState, pid: int) -> int:
    """Where a lead lands when only its pipeline is given: the first open, sortable stage."""
    return int(next(s["id"] for s in statuses_of(state, pid) if s["type"] == 0 and s["id"] not in (core.WON, core.LOST)))


class Account(core.Resource):
    @core.route("GET", "/api/v4/account")
    def _get_account(self, request: Request, params: core.Params) -> Response:
        st = self.state
        return core.hal({
            "id": st.account_id, "name": st.account_name, "subdomain": st.subdomain,
            "created_at": st.created_at, "created_by": core.USER_ID, "updated_at": st.created_at,
            "updated_by": core.USER_ID, "current_user_id": core.USER_ID, "country": "KZ", "currency": "KZT",
            "currency_symbol": "₸", "customers_mode": "disabled", "is_unsorted_on": True,
            "is_loss_reason_enabled": True, "is_helpbot_enabled": False, "is_technical_account": False,
            "contact_name_display_order": 1, "mobile_feature_version": 0,
            "_links": {"self": {"href": f"{core.base_url(request)}/api/v4/account"}},
        })

    @staticmethod
    def _render(request: Request, pipeline: core.JSON) -> core.JSON:
        out = copy.deepcopy(pipeline)
        out["_links"] = core.self_link(request, f"leads/pipelines/{pipeline['id']}")
        for st in out["_embedded"]["statuses"]:
            st["_links"] = core.self_link(request, f"leads/pipelines/{pipeline['id']}/statuses/{st['id']}")
        return out

    @core.route("GET", "/api/v4/leads/pipelines")
    def _get_pipelines(self, request: Request, params: core.Params) -> Response:
        items = [self._render(request, p) for p in self.state.pipelines]
        return core.hal({"_total_items": len(items), "_links": core.self_link(request, "leads/pipelines"),
                    "_embedded": {"pipelines": items}})

    @core.route("GET", "/api/v4/leads/pipelines/{pid}")
    def _get_pipeline(self, request: Request, params: core.Params) -> Response:
        pipeline = find_pipeline(self.state, core.path_id(request, params["pid"]))
        return core.one(pipeline, lambda found: self._render(request, found))

    @core.route("GET", "/api/v4/leads/pipelines/{pid}/statuses")
    def _get_statuses(self, request: Request, params: core.Params) -> Response:
        pipeline = find_pipeline(self.state, core.path_id(request, params["pid"]))
        if pipeline is None:
            return core.no_content()
        statuses = self._render(request, pipeline)["_embedded"]["statuses"]
        return core.hal({"_total_items": len(statuses),
                    "_links": core.self_link(request, f"leads/pipelines/{pipeline['id']}/statuses"),
                    "_embedded": {"statuses": statuses}})

    @core.route("GET", "/api/v4/leads/pipelines/{pid}/statuses/{sid}")
    def _get_status(self, request: Request, params: core.Params) -> Response:
        pipeline = find_pipeline(self.state, core.path_id(request, params["pid"]))
        sid = core.path_id(request, params["sid"])
        if pipeline is None:
            return core.no_content()
        rendered = self._render(request, pipeline)
        found = next((s for s in rendered["_embedded"]["statuses"] if s["id"] == sid), None)
        return core.one(found, lambda status: status)
