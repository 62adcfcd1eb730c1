"""The behaviour report: what every check pinned and observed on one TensorFlow, and how two reports differ.

``report.json`` (schema in :mod:`.schema`) is written by the pytest plugin in :mod:`.collect`;
:mod:`.markdown` renders it as documentation, :mod:`.diff` compares two of them, :mod:`.matrix` tabulates
the goldens. None of these modules imports TensorFlow or NumPy.
"""
