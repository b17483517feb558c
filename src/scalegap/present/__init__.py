"""The present stage: what turns a chapter's display tables and numbers into what a reader sees.

:mod:`~scalegap.present.tables` renders tables as escaped HTML, :mod:`~scalegap.present.figures` draws the
charts in the house style, :mod:`~scalegap.present.widgets` builds the live controls of JupyterLab.  Nothing
here computes a statistic.
"""
