"""What a page may show of other people: the store's rule book decides (``records.rules``).

A page is sent to the browser whole: every option of a dropdown, hidden or not, is there
for anyone to read. So the lists of trainees an app offers are built only after the person
using it is known, from ``RecordsStore.trainees_for`` (a trainee: only themselves; a
supervisor: their own agency's trainees; evaluators and managers: everyone), and never from
the whole roster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as w

from shegong.messages import Lang, text
from shegong.records import RecordsStore
from shegong.records.roster import Member


def visible_trainees(
    store: RecordsStore, person_id: str, trainees: Sequence[Member]
) -> list[Member]:
    """The roster's trainees that ``person_id`` may see, in roster order."""
    allowed = {p.person_id for p in store.trainees_for(person_id)}
    return [m for m in trainees if m.person_id in allowed]


def offer(
    widget: w.Dropdown | w.SelectMultiple,
    members: Sequence[Member],
    lang: Lang,
    stations: Mapping[str, str],
    *,
    choose: bool,
) -> None:
    """Set ``widget``'s options to ``members`` (with a "please choose" first when ``choose``)."""
    options = [(m.label(lang, stations), m.person_id) for m in members]
    if choose:
        options = [(text("apps.choose", lang), ""), *options]
    widget.options = options
