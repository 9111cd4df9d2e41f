"""shegong.widgets: reusable ipywidgets for lessons and Voila apps."""
