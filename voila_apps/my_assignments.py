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
#     title: apps.my.title
# ---

# %% tags=["parameters"]
LANG = "zh"

# %%
from IPython.display import display

from shegong.widgets.apps.my_assignments import open_app
from shegong.widgets.forms.error_page import open_page

app = open_page(open_app, LANG)  # a page that cannot open says why, in both languages
display(app)

# %%
# With preheated kernels the cells above (the empty page shown) run before anyone opens the
# page; serve() waits for the request, then finds out who is asking and fills the page with
# their own assignments.
app.serve()
