"""shegong.grading: nbgrader configuration and the grading pipeline around it.

Built on nbgrader 0.9.6 through its own extension points: its configuration
(``nbconfig.nbgrader_config``, also written as ``course/nbgrader_config.py`` for the plain
``nbgrader`` command), its converters (``GenerateAssignment``, ``Autograde``), its
preprocessors (two new ones in ``preprocessors``), its exchange classes and its
``Gradebook`` API. Nothing is imported here: ``import shegong.grading.<module>``.

One course is one ``context.GradingContext`` (settings, options, the folders of
``config.CoursePaths``), built once per command, as nbgrader passes one ``CourseDirectory``.

Assignments (``assignments/<id>/``: a py:percent master and ``rubric.yml``)

- ``masters``: find, read and validate masters; ``rubric``: rubrics as data;
  ``language``: the zh and en editions of one master; ``cells``: the one reader of cell
  metadata; ``checks``: what test cells call; ``leaks``: solution text in a release?
- ``release``: master -> source -> ``generate_assignment`` -> handouts -> leak check ->
  exchange, in named steps.

Submissions

- ``roster``: trainees are the data's workers; ``exchange``: the hub path (fetch, submit,
  collect); ``pack`` / ``manifest`` / ``intake``: the offline zip path with receipt codes
  (``safezip``: untrusted zips read streamed and capped; ``inbox``: what intake stores).

Grading

- ``autograde``: the parallel, resumable run; ``worker``: one submission in its own box;
  ``sandbox`` / ``rooms`` / ``kernel``: boxes, each start's room, the limited kernel and its
  unprivileged uid; ``phases`` / ``checker``: answers and tests in two kernels, the kept
  checker kernels;
  ``findings``: what happened, read from the notebooks; ``merge``: the single gradebook
  writer; ``status`` / ``store``: statuses and shegong's own records (``grading.db``, under
  Alembic: ``migrations/``); ``report``: the CLI's tables.
- ``manual``: rubric grades into nbgrader's gradebook (``shegong.widgets.apps.rubric_panel``
  is its interface); ``feedback`` / ``feedback_page``: slim bilingual pages and station
  zips; ``export``: scores by station and county; ``cli``: ``shegong grade ...``;
  ``simulate``: notebooks for tests, demos and the benchmark.
"""
