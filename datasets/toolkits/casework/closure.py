"""Casework stage 6, closure: the case record, with pseudonyms only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.casework.assessment import safety_flag_name
from shegong.datasets.toolkits.casework.labels import (
    FOLLOW_UP_DAYS,
    SEP,
    _band,
    _day,
    _name,
    code_label,
    pseudonym,
)
from shegong.datasets.toolkits.casework.process import _case_row
from shegong.datasets.world.cases import STAGES
from shegong.messages import Lang, text


@dataclass(frozen=True)
class CaseRecord:
    """What a closing summary says about one case; ``to_text`` writes it in one language."""

    case: pd.Series
    contacts: pd.Series  # contact code -> count
    measures: pd.DataFrame  # instrument, pre, post (post is NaN before evaluation)
    goals: int
    gas_tscore: float | None
    follow_up: tuple[pd.Timestamp, ...]
    open_flags: tuple[str, ...] = ()  # safety flags on the latest measure of an instrument

    @property
    def pseudonym(self) -> str:
        """The client's pseudonym (surname + 某), as in the case note."""
        return pseudonym(self.case["notes_zh"])

    def to_text(self, lang: Lang = "zh") -> str:
        """The closing summary in ``lang``: pseudonym and ids only, never a name."""
        lines = [
            text("casework.record.title", lang, case=self.case["case_id"]),
            text(
                "casework.record.client",
                lang,
                pseudonym=self.pseudonym,
                group=self._label("client_group", lang),
                source=self._label("referral_source", lang),
                need=self._label("presenting_need", lang),
                risk=self._label("risk_level", lang),
            ),
            text("casework.record.stages", lang, stages=self._stages(lang)),
            self._contacts_text(lang),
            *(self._measure_line(m, lang) for _, m in self.measures.iterrows()),
            *self._flags_text(lang),
            self._goals_text(lang),
            *self._ending(lang),
            text("casework.record.privacy", lang),
        ]
        return "\n".join(lines)

    def _label(self, column: str, lang: Lang) -> str:
        return code_label("cases", column, self.case[column], lang)

    def _stages(self, lang: Lang) -> str:
        reached = [s for s in STAGES if pd.notna(self.case[f"{s}_on"])]
        steps = [
            f"{code_label('cases', 'stage', s, lang)} {_day(self.case[f'{s}_on'])}" for s in reached
        ]
        return " → ".join(steps)

    def _contacts_text(self, lang: Lang) -> str:
        if self.contacts.sum() == 0:
            return text("casework.record.no_contacts", lang)
        parts = [
            f"{code_label('ledger', 'contact', k, lang)} {v}" for k, v in self.contacts.items()
        ]
        detail = SEP[lang].join(parts)
        return text("casework.record.contacts", lang, count=int(self.contacts.sum()), detail=detail)

    def _measure_line(self, m: pd.Series, lang: Lang) -> str:
        inst = INSTRUMENTS[str(m["instrument"])]
        pre = {"instrument": _name(inst, lang), "pre": int(m["pre"])}
        pre["band_pre"] = _band(inst, m["pre"], lang)
        if pd.isna(m["post"]):
            return text("casework.record.measure_pre_only", lang, **pre)
        post = {"post": int(m["post"]), "band_post": _band(inst, m["post"], lang)}
        return text("casework.record.measure", lang, **pre, **post)

    def _flags_text(self, lang: Lang) -> list[str]:
        if not self.open_flags:
            return []
        names = [safety_flag_name(f, lang) for f in self.open_flags]
        return [text("casework.record.open_flags", lang, flags=SEP[lang].join(names))]

    def _goals_text(self, lang: Lang) -> str:
        if self.goals == 0:
            return text("casework.record.no_goals", lang)
        if self.gas_tscore is None:
            return text("casework.record.goals_unrated", lang, count=self.goals)
        tscore = f"{self.gas_tscore:.1f}"
        return text("casework.record.goals", lang, count=self.goals, tscore=tscore)

    def _ending(self, lang: Lang) -> list[str]:
        if pd.isna(self.case["closure_on"]):
            return [text("casework.record.open", lang, stage=self._label("stage", lang))]
        reason = self._label("closure_reason", lang)
        dates = SEP[lang].join(_day(d) for d in self.follow_up)
        days = "/".join(str(d) for d in FOLLOW_UP_DAYS)
        return [
            text(
                "casework.record.closure", lang, date=_day(self.case["closure_on"]), reason=reason
            ),
            text("casework.record.follow_up", lang, dates=dates, days=days),
        ]


def case_record(
    case_id: str,
    cases: pd.DataFrame,
    ledger: pd.DataFrame,
    measures: pd.DataFrame,
    goals: pd.DataFrame,
) -> CaseRecord:
    """Gather one case's closing-summary facts: stages, contacts by type, pre/post scores,
    safety flags still on the latest measure of an instrument, goals with the GAS T-score,
    and follow-up dates ``FOLLOW_UP_DAYS`` after closure (the course's suggestion, not a
    standard)."""
    case = _case_row(cases, case_id)
    mine = measures[measures["case_id"] == case_id]
    wide = mine.pivot_table(
        index="instrument", columns="timepoint", values="total", aggfunc="first"
    )
    wide = wide.reindex(columns=["pre", "post"]).dropna(subset=["pre"]).reset_index()
    contacts = ledger.loc[ledger["case_id"] == case_id, "contact"].value_counts()
    latest = mine.sort_values("measured_on").groupby("instrument").tail(1)
    codes = latest["flags"] if "flags" in latest else pd.Series(dtype=str)
    flags = sorted({c for joined in codes.dropna() for c in str(joined).split(";") if c})
    tscore = case.get("gas_tscore")
    closed = pd.notna(case["closure_on"])
    return CaseRecord(
        case=case,
        contacts=contacts,
        measures=wide,
        goals=int((goals["case_id"] == case_id).sum()),
        gas_tscore=float(tscore) if tscore is not None and pd.notna(tscore) else None,
        follow_up=tuple(case["closure_on"] + pd.Timedelta(days=d) for d in FOLLOW_UP_DAYS)
        if closed
        else (),
        open_flags=tuple(flags),
    )
