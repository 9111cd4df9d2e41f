"""shegong.grading: nbgrader configuration and the grading pipeline around it."""
