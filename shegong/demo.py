"""What ``shegong demo`` prepares before JupyterLab opens: demo data, built courses, a small
graded course (``shegong.grading.demo``) and the Voila apps (built, template installed, demo
roster in the records store)."""

from __future__ import annotations

from shegong.datasets import build
from shegong.lessons import build_courses
from shegong.messages import bilingual
from shegong.paths import Workspace
from shegong.settings import Settings


def prepare_demo(settings: Settings) -> Workspace:
    """Build the default world (and its messy twin) unless they are already there, and the
    courses in both languages (always: lesson sources may have changed)."""
    workspace = Workspace(settings.home).ensure()
    for messy in (False, True):
        folder = workspace.data_dir(settings.scale, settings.seed, messy)
        if not (folder / "meta.json").exists():
            result = build(settings.scale, settings.seed, folder, messy=messy)
            print(
                bilingual(
                    "cli.built",
                    tables=len(result.counts),
                    rows=f"{result.rows:,}",
                    path=result.path,
                )
            )
    built = build_courses(workspace.build / "courses")
    print(bilingual("course.built", lessons=len(built) // 2, path=workspace.build / "courses"))
    from shegong.apps import prepare_apps
    from shegong.grading.demo import prepare_demo_course

    course = prepare_demo_course(settings)
    if course is not None:
        print(bilingual("grading.demo.ready", released=course.released, graded=course.graded))
    apps = prepare_apps(settings)
    print(bilingual("apps.cli.built", count=len(apps.built), path=apps.folder))
    return workspace
