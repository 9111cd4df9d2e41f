# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   shegong:
#     title: apps.comp.title
# ---

# %% tags=["parameters"]
LANG = "zh"

# %%
from shegong.widgets.competency_form import open_app

app = open_app(LANG)

# %%
# With preheated kernels the cells above run before anyone opens the page; start() waits
# for the request, then finds out who is asking and loads their own records.
app.start()
