"""Dates near year 1 or 9999 in a report period: a 400 naming the field and the supported range
(workdays.bounds), never an OverflowError; on the API, the dashboard, the list behind its
numbers and ``motcua report``."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua.testing import Cast, field_problems

EDGES = [
    {"from": "0001-01-01", "to": "0001-01-05"},
    {"from": "9999-12-25", "to": "9999-12-31"},
    {"from": "1999-12-31", "to": "2000-01-31"},  # just outside the range
]


@pytest.mark.parametrize("period", EDGES)
@pytest.mark.parametrize("url", ["/api/v1/reports/processing", "/api/v1/reports/index766"])
def test_the_report_api_refuses_dates_outside_the_range(
    client: Client, cast: Cast, url: str, period: dict[str, str]
) -> None:
    client.force_login(cast.frank)
    response: Any = client.get(url, period, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    field = "from" if period["from"] < "2000-01-01" or period["from"] > "2100" else "to"
    assert field_problems(response)[field] == ["date_out_of_range"]
    assert "Dates from 2000-01-01 to 2100-12-31 are accepted" in response.json()["message"]


def test_the_message_is_vietnamese_by_default(client: Client, cast: Cast) -> None:
    client.force_login(cast.frank)
    response: Any = client.get("/api/v1/reports/processing", EDGES[0])
    assert response.status_code == 400
    assert "Chỉ nhận ngày từ 2000-01-01 đến 2100-12-31" in response.json()["message"]


@pytest.mark.parametrize("period", EDGES)
@pytest.mark.parametrize(
    ("url", "extra"),
    [("/workspace/reports/", {}), ("/workspace/reports/dossiers/", {"metric": "received"})],
)
def test_the_dashboard_and_its_lists_refuse_dates_outside_the_range(
    client: Client, cast: Cast, url: str, extra: dict[str, str], period: dict[str, str]
) -> None:
    client.force_login(cast.frank)
    response: Any = client.get(url, {**period, **extra}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    codes = {e.code for field in ("from", "to") for e in errors.get(field, [])}
    assert codes == {"date_out_of_range"}
    assert "are accepted" in response.content.decode()


@pytest.mark.parametrize("period", EDGES)
def test_the_report_command_refuses_dates_outside_the_range(
    cast: Cast, period: dict[str, str]
) -> None:
    with pytest.raises(CommandError, match=r"2000-01-01.*2100-12-31"):
        call_command(
            "report", "processing", "--from", period["from"], "--to", period["to"],
            stdout=StringIO(),
        )  # fmt: skip
