"""The scoring table of the Decision 766/QĐ-TTg service index (domain §5).

The group weights (100 points) are those the National Portal exposes; the official component
formulas were not found, so the default below is one vendor's approximation, kept as plain data
that ``settings.REPORT_766_SCORING`` may replace (same shape: a list of groups). Each component
names a *measure* (``index766.MEASURES``: a numerator and denominator, or "no data yet") and a
*rule*:

- ``linear``: share × ``points``;
- ``threshold``: ``points`` when share ≥ ``threshold`` (a fraction), else ``else_points``.

Satisfaction is the share of the applicants' ratings (``motcua.satisfaction``) that were very
satisfied or satisfied, × 18: the National Portal shows the same share; how the official index
weighs it was not found. Where the vendor approximation is silent (publicity, 10 of the 22
digitisation points) one component holds the group's remaining points on a measure without
data, so that the table still adds up to each group's weight and the score says why those
points are 0.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

RULES = ("linear", "threshold")

DEFAULT: list[dict[str, Any]] = [
    {
        "key": "publicity",
        "name_vi": "Công khai, minh bạch",
        "name_en": "Publicity and transparency",
        "weight": "18",
        "components": [
            {
                "key": "publicity",
                "name_vi": "Công khai, minh bạch thông tin",
                "name_en": "Publicity and transparency of information",
                "measure": "publicity",
                "rule": "linear",
                "points": "18",
            },
        ],
    },
    {
        "key": "progress",
        "name_vi": "Tiến độ giải quyết",
        "name_en": "Processing progress",
        "weight": "20",
        "components": [
            {
                "key": "in_time",
                "name_vi": "Hồ sơ đang giải quyết trong hạn và đã giải quyết trước hạn, đúng hạn",
                "name_en": "Dossiers pending in time and resolved early or on time",
                "measure": "in_time",
                "rule": "linear",
                "points": "20",
            },
        ],
    },
    {
        "key": "online_service",
        "name_vi": "Dịch vụ công trực tuyến",
        "name_en": "Online public service",
        "weight": "12",
        "components": [
            {
                "key": "procedures_online",
                "name_vi": "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
                "name_en": "Share of procedures offered online",
                "measure": "procedures_online",
                "rule": "threshold",
                "threshold": "0.8",
                "points": "2",
                "else_points": "1.6",
            },
            {
                "key": "online_procedures_used",
                "name_vi": "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ",
                "name_en": "Share of online procedures that had dossiers",
                "measure": "online_procedures_with_dossiers",
                "rule": "linear",
                "points": "4",
            },
            {
                "key": "dossiers_online",
                "name_vi": "Tỷ lệ hồ sơ trực tuyến",
                "name_en": "Share of dossiers received online",
                "measure": "dossiers_online",
                "rule": "threshold",
                "threshold": "0.5",
                "points": "6",
                "else_points": "3",
            },
        ],
    },
    {
        "key": "online_payment",
        "name_vi": "Thanh toán trực tuyến",
        "name_en": "Online payment",
        "weight": "10",
        "components": [
            {
                "key": "procedures_paid_online",
                "name_vi": "Tỷ lệ TTHC có phí, lệ phí phát sinh thanh toán trực tuyến",
                "name_en": "Share of fee-bearing procedures with an online payment",
                "measure": "procedures_paid_online",
                "rule": "threshold",
                "threshold": "0.5",
                "points": "2",
                "else_points": "1.6",
            },
            {
                "key": "national_portal_payment",
                "name_vi": "Thanh toán trên Cổng Dịch vụ công quốc gia",
                "name_en": "Payable on the National Public Service Portal",
                "measure": "national_portal_payment",
                "rule": "threshold",
                "threshold": "1",
                "points": "2",
                "else_points": "0",
            },
            {
                "key": "dossiers_paid_online",
                "name_vi": "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến",
                "name_en": "Share of fee-bearing dossiers paid online",
                "measure": "dossiers_paid_online",
                "rule": "threshold",
                "threshold": "0.3",
                "points": "6",
                "else_points": "0",
            },
        ],
    },
    {
        "key": "satisfaction",
        "name_vi": "Mức độ hài lòng",
        "name_en": "Satisfaction",
        "weight": "18",
        "components": [
            {
                "key": "satisfaction",
                "name_vi": "Mức độ hài lòng của người dân, doanh nghiệp",
                "name_en": "Satisfaction of citizens and businesses",
                "measure": "satisfaction",
                "rule": "linear",
                "points": "18",
            },
        ],
    },
    {
        "key": "digitisation",
        "name_vi": "Số hóa hồ sơ",
        "name_en": "Digitisation",
        "weight": "22",
        "components": [
            {
                "key": "electronic_results",
                "name_vi": "Tỷ lệ cấp kết quả điện tử",
                "name_en": "Share of results returned electronically",
                "measure": "electronic_results",
                "rule": "linear",
                "points": "6",
            },
            {
                "key": "digitised",
                "name_vi": "Tỷ lệ hồ sơ được số hóa",
                "name_en": "Share of dossiers digitised",
                "measure": "digitised",
                "rule": "threshold",
                "threshold": "0.8",
                "points": "4",
                "else_points": "3.2",
            },
            {
                "key": "reuse",
                "name_vi": "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
                "name_en": "Share of re-use of digitised components",
                "measure": "reuse",
                "rule": "threshold",
                "threshold": "0.8",
                "points": "2",
                "else_points": "1.6",
            },
            {
                "key": "other",
                "name_vi": "Các tiêu chí số hóa khác",
                "name_en": "Other digitisation criteria",
                "measure": "unspecified",
                "rule": "linear",
                "points": "10",
            },
        ],
    },
]


@dataclass(frozen=True)
class Component:
    """One scored criterion: a measure and the rule turning its share into points."""

    key: str
    name_vi: str
    name_en: str
    measure: str
    rule: str
    points: Decimal
    threshold: Decimal | None = None
    else_points: Decimal = Decimal(0)


@dataclass(frozen=True)
class Group:
    """One of the six groups, with its weight and components."""

    key: str
    name_vi: str
    name_en: str
    weight: Decimal
    components: tuple[Component, ...]


def _component(raw: dict[str, Any], measures: frozenset[str]) -> Component:
    rule = raw["rule"]
    if rule not in RULES:
        raise ValueError(f"REPORT_766_SCORING: unknown rule {rule!r} in {raw['key']}")
    if raw["measure"] not in measures:
        raise ValueError(f"REPORT_766_SCORING: unknown measure {raw['measure']!r}")
    threshold = raw.get("threshold")
    if rule == "threshold" and threshold is None:
        raise ValueError(f"REPORT_766_SCORING: {raw['key']} needs a threshold")
    return Component(
        key=raw["key"],
        name_vi=raw["name_vi"],
        name_en=raw["name_en"],
        measure=raw["measure"],
        rule=rule,
        points=Decimal(str(raw["points"])),
        threshold=Decimal(str(threshold)) if threshold is not None else None,
        else_points=Decimal(str(raw.get("else_points", 0))),
    )


def scoring_table(measures: frozenset[str]) -> tuple[Group, ...]:
    """The table in force: ``settings.REPORT_766_SCORING`` if set, else ``DEFAULT``; checked
    against the known ``measures``."""
    raw: list[dict[str, Any]] = getattr(settings, "REPORT_766_SCORING", None) or DEFAULT
    return tuple(
        Group(
            key=g["key"],
            name_vi=g["name_vi"],
            name_en=g["name_en"],
            weight=Decimal(str(g["weight"])),
            components=tuple(_component(c, measures) for c in g["components"]),
        )
        for g in raw
    )
