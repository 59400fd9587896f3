# Readable source of autograded/source/03_thresholds_and_costs/03_thresholds_and_costs.ipynb: edit this file, then
#     python -m course.grading build autograded/authoring/03_thresholds_and_costs.py
# Cell markers: see docs/AUTHORING.md. Visible tests: course/grading/questions/03_thresholds_and_costs.py.

# %% [markdown]
# # Thresholds and costs
#
# What this assignment is about, in two sentences.

# %% readonly id=03-setup
from course import check

# %% [markdown]
# ## Question 1 (1 point)
#
# Store in `answer` the number of ...

# %% answer id=03-first-answer
### BEGIN SOLUTION
answer = 42
### END SOLUTION

# %% tests id=03-first-tests points=1
check("03-first")
### BEGIN HIDDEN TESTS
assert answer == 42
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2 (1 point, graded by hand)
#
# Explain in two sentences why ...

# %% manual id=03-explain points=1
# The model answer the graders compare with.
