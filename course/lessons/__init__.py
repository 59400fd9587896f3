"""Each module's own experiments: one file per module, named after its notebook.

``modules/NN_topic.ipynb`` -> ``course.lessons.topic``: the fits, comparisons and tables
that module teaches, built from ``course.data``, ``course.models`` and ``course.metrics``.
Reusable numbers that fit no model live in ``course.metrics``; explorers that draw a
module's numbers in ``course.widgets.topic_explorer``.
"""
