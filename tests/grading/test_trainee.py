"""The trainee's side (``shegong.grading.trainee``): what is released to me, get it, hand it
in online or as an offline zip, see what was received, find returned feedback; wrong ids are
refused at once, naming the valid ones. Trainee ids come from the course's roster."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from collections.abc import Callable

import nbformat
import pytest
from grading_support import release_nb, source_nb

from shegong.grading import exchange, feedback, intake, manifest, simulate
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.masters import discover
from shegong.grading.roster import trainees
from shegong.grading.trainee import (
    State,
    TraineeError,
    assignments,
    feedback_page,
    fetch,
    notebooks,
    online,
    open_desk,
    pack_offline,
    received,
    submit,
)

ASSIGNMENT = "groupwork"
RELEASED = sorted(a.id for a in discover())  # the demo course releases every master


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    return clone("trainee")


@pytest.fixture(scope="module")
def people(course: GradingContext) -> list[str]:
    """Trainee ids of the course's roster (never literals: ids are being migrated)."""
    return [str(w) for w in trainees(course.settings)["worker_id"]]


def _answer(course: GradingContext, path: str) -> None:
    """Write the master's answers into the trainee's fetched notebook."""
    nb = simulate.answered(release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT))
    nbformat.write(nb, path)


def test_a_wrong_trainee_id_is_refused_naming_valid_ones(
    course: GradingContext, people: list[str]
) -> None:
    """Is an id nobody has refused at once, in both languages, with valid ids listed?"""
    with pytest.raises(TraineeError) as caught:
        open_desk(course, "nobody")
    said = str(caught.value)
    assert "nobody" in said and people[0] in said
    assert "学员名单" in said and "list of trainees" in said


def test_a_wrong_assignment_is_refused_naming_the_released_ones(
    course: GradingContext, people: list[str]
) -> None:
    """Does every step refuse an assignment that was not released, before touching files?"""
    desk = open_desk(course, people[0])
    for step in (fetch, submit, pack_offline):
        with pytest.raises(TraineeError) as caught:
            step(desk, "no-such-work")
        assert "no-such-work" in str(caught.value) and "groupwork" in str(caught.value)
    assert not desk.home.exists()


def test_released_assignments_are_listed_available_in_course_order(
    course: GradingContext, people: list[str]
) -> None:
    """Does a new trainee see every released assignment, each available, with its title?"""
    shown = assignments(open_desk(course, people[1]))
    assert sorted(a.id for a in shown) == RELEASED
    assert shown[0].id == "data-basics"  # the masters' order, not the alphabet
    assert {a.state for a in shown} == {State.AVAILABLE}
    assert all(a.title.zh != a.id and a.title.en for a in shown)


def test_fetch_puts_the_release_in_the_trainees_folder_and_keeps_their_work(
    course: GradingContext, people: list[str]
) -> None:
    """Is the exchange's release fetched once, and a second fetch harmless to edits?"""
    desk = open_desk(course, people[2])
    folder = fetch(desk, ASSIGNMENT)
    assert folder == desk.home / ASSIGNMENT and [p.name for p in notebooks(desk, ASSIGNMENT)] == [
        "groupwork.ipynb"
    ]
    edited = folder / "groupwork.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8") + " ", encoding="utf-8")
    before = edited.read_bytes()
    fetch(desk, ASSIGNMENT)
    assert edited.read_bytes() == before
    states = {a.id: a.state for a in assignments(desk)}
    assert states[ASSIGNMENT] == State.FETCHED and states["casework"] == State.AVAILABLE


def test_submit_needs_a_fetched_assignment(course: GradingContext, people: list[str]) -> None:
    """Is handing in before getting the assignment refused with what to press?"""
    with pytest.raises(TraineeError) as caught:
        submit(open_desk(course, people[3]), ASSIGNMENT)
    assert "领取" in str(caught.value) and "Get" in str(caught.value)


def test_online_submit_reaches_the_exchange_and_is_listed_as_received(
    course: GradingContext, people: list[str]
) -> None:
    """Does submit go through nbgrader's exchange, so collect finds it for the supervisor?"""
    desk = open_desk(course, people[4])
    assert online(desk)
    _answer(course, str(fetch(desk, ASSIGNMENT) / "groupwork.ipynb"))
    handed = submit(desk, ASSIGNMENT)
    assert handed.online and handed.packed is None
    inbound = list((course.paths.exchange / course.course_id / "inbound").glob(f"{people[4]}+*"))
    assert len(inbound) == 1
    assert [r.kind for r in received(desk, ASSIGNMENT)] == ["online"]
    exchange.collect(course, ASSIGNMENT)
    collected = course.paths.step("submitted") / people[4] / ASSIGNMENT / "groupwork.ipynb"
    assert collected.is_file()
    state = {a.id: a.state for a in assignments(desk)}[ASSIGNMENT]
    assert state == State.SUBMITTED


def test_on_the_hubs_shared_exchange_work_sits_under_the_course_and_hand_ins_are_listed(
    clone: Callable[..., GradingContext],
    course: GradingContext,
    people: list[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """With ``exchange_root`` (the hub's /srv/nbgrader/exchange, one course per agency): does
    the page look in that exchange, fetch into ``<home>/<course>/<assignment>`` as nbgrader
    does there, and list a hand-in from nbgrader's cache when ``inbound/`` (0733 on a shared
    exchange) cannot be listed, once only when it can?"""
    shared = tmp_path_factory.mktemp("shared-exchange")
    options = dataclasses.replace(course.options, exchange_root=str(shared))
    ctx = clone("shared", options=options)
    exchange.release(ctx, ASSIGNMENT)
    desk = open_desk(ctx, people[5])
    assert desk.course_exchange == shared / ctx.course_id and online(desk)
    folder = fetch(desk, ASSIGNMENT)
    assert folder == desk.home / ctx.course_id / ASSIGNMENT
    assert [p.name for p in notebooks(desk, ASSIGNMENT)] == ["groupwork.ipynb"]
    _answer(ctx, str(folder / "groupwork.ipynb"))
    assert submit(desk, ASSIGNMENT).online
    assert [r.kind for r in received(desk, ASSIGNMENT)] == ["online"]  # cache and inbound: once
    inbound = shared / ctx.course_id / "inbound"
    hidden = inbound.rename(inbound.with_name("inbound-unlistable"))
    try:
        assert [r.kind for r in received(desk, ASSIGNMENT)] == ["online"]
        assert {a.id: a.state for a in assignments(desk)}[ASSIGNMENT] == State.SUBMITTED
    finally:
        hidden.rename(inbound)
    exchange.collect(ctx, ASSIGNMENT)
    assert (ctx.paths.step("submitted") / people[5] / ASSIGNMENT / "groupwork.ipynb").is_file()


def test_without_the_exchange_submit_makes_an_offline_zip_that_intake_accepts(
    course: GradingContext, people: list[str]
) -> None:
    """With no reachable exchange, is the hand-in a zip with a receipt the supervisor takes?"""
    desk = open_desk(course, people[5])
    _answer(course, str(fetch(desk, ASSIGNMENT) / "groupwork.ipynb"))
    inbound = course.paths.exchange / course.course_id / "inbound"
    moved = inbound.with_name("inbound-away")
    inbound.rename(moved)
    try:
        assert not online(desk)
        handed = submit(desk, ASSIGNMENT)
    finally:
        moved.rename(inbound)
    assert not handed.online and handed.packed is not None
    zipped = handed.packed.path
    assert zipped.parent == desk.home / "offline-zips"
    with zipfile.ZipFile(zipped) as archive:
        parsed = manifest.parse(archive.read("manifest.json"))
    assert (parsed.trainee, parsed.assignment) == (people[5], ASSIGNMENT)
    assert manifest.receipt_code(parsed) == handed.packed.receipt
    got = received(desk, ASSIGNMENT)
    assert [(r.kind, r.receipt) for r in got] == [("offline", handed.packed.receipt)]
    decisions = intake.intake([zipped], course)
    assert [d.accepted for d in decisions] == [True]


def test_the_offline_zip_button_works_while_online_too(
    course: GradingContext, people: list[str]
) -> None:
    """Can a trainee with a network still make a zip to carry (and is it listed)?"""
    desk = open_desk(course, people[6])
    fetch(desk, ASSIGNMENT)
    handed = pack_offline(desk, ASSIGNMENT)
    assert handed.packed is not None and handed.packed.path.is_file()
    assert [r.kind for r in received(desk, ASSIGNMENT)] == ["offline"]


def test_an_offline_station_gets_the_handout_in_its_language(
    course: GradingContext, people: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without an exchange copy, is the assignment taken from handouts/<lang>/ (English here)?"""
    desk = open_desk(course, people[7], lang="en")
    outbound = course.paths.exchange / course.course_id / "outbound" / "casework"
    away = tmp_path_factory.mktemp("away") / "casework"
    shutil.move(outbound, away)
    try:
        folder = fetch(desk, "casework")
    finally:
        shutil.move(away, outbound)
    nb = nbformat.read(folder / "casework.ipynb", as_version=4)
    assert nb.metadata["shegong"]["lang"] == "en"


def test_returned_feedback_is_found_in_the_trainees_language(
    course: GradingContext, people: list[str]
) -> None:
    """After autograde and feedback, is the trainee's page found and the state 已评分·有反馈?"""
    trainee = people[8]
    desk = open_desk(course, trainee)
    _answer(course, str(fetch(desk, ASSIGNMENT) / "groupwork.ipynb"))
    submit(desk, ASSIGNMENT)
    exchange.collect(course, ASSIGNMENT)
    assert feedback_page(desk, ASSIGNMENT) is None
    autograde(course, ASSIGNMENT, students=[trainee])
    feedback.write(course, ASSIGNMENT, trainee)
    page = feedback_page(desk, ASSIGNMENT)
    assert page is not None and page.name == "groupwork.zh.html"
    assert "作业三" in page.read_text(encoding="utf-8")
    english = feedback_page(open_desk(course, trainee, lang="en"), ASSIGNMENT)
    assert english is not None and english.name == "groupwork.en.html"
    state = {a.id: a.state for a in assignments(desk)}[ASSIGNMENT]
    assert state == State.RETURNED
