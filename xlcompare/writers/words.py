"""What the workbooks say in words rather than by a file's name: the judging settings they
were made with (a district officer forwards them; no configuration file is named there)."""

from __future__ import annotations

from typing import Any

from xlcompare.judge import JudgeSettings, load_settings
from xlcompare.messages import Lang, Message

__all__ = ["settings_in_words"]

# (section, setting, its name in the catalogue, how its value reads)
_SETTINGS = (
    ("indicators", "basic_share", "setting.basic-share", "times"),
    ("indicators", "over_multiple", "setting.over-multiple", "times"),
    ("indicators", "use_sheet_rate_without_target", "setting.sheet-rate", "yes"),
    ("attendance", "basic_share", "setting.attendance-basic-share", "times"),
    ("attendance", "actual_vs_expected", "setting.actual-vs-expected", "percent"),
    ("attendance", "certified_actual_vs_expected", "setting.certified-actual", "percent"),
    ("attendance", "certified_share", "setting.certified-share", "percent"),
    ("attendance", "staffing_vs_contract", "setting.staffing", "percent"),
    ("attendance", "two_years_share", "setting.two-years", "percent"),
    ("attendance", "retention_rate", "setting.retention", "percent"),
    ("attendance", "training_hours", "setting.training", "percent"),
    ("attendance", "supervision_hours_per_staff", "setting.supervision", "hours"),
)


def _value(value: Any, kind: str) -> Message | str:
    if kind == "percent":
        return f"{value:.0%}"
    if kind == "yes":
        return Message("setting.yes" if value else "setting.no")
    if kind == "hours":
        return Message("setting.hours", hours=f"{value:g}")
    return f"{value:g}"


def settings_in_words(settings: JudgeSettings, lang: Lang = "zh") -> str:
    """「默认判定设置」, or the district's own values beside the defaults they replace
    (「本区判定设置：基本完成线（× 按时间应完成） 0.8（默认 0.7）」)."""
    defaults = load_settings()
    changed: list[Message] = []
    for section, name, words, kind in _SETTINGS:
        value = getattr(getattr(settings, section), name)
        default = getattr(getattr(defaults, section), name)
        if value != default:
            changed.append(Message("setting.changed", what=Message(words),
                                   value=_value(value, kind), default=_value(default, kind)))
    if settings.summary.key_indicators != defaults.summary.key_indicators:
        changed.append(Message("setting.key-indicators"))
    if not changed:
        return Message("setting.defaults").text(lang)
    return Message("setting.own", changes=tuple(changed)).text(lang)
