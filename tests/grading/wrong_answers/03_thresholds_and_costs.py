"""Common wrong answers to 03_thresholds_and_costs: each must lose the points of its question, and only those.

answer cell grade_id -> {why it is wrong: code that replaces the whole answer cell}
"""

WRONG_ANSWERS = {
    "03-first-answer": {
        "off by one": "answer = 41",
    },
}
