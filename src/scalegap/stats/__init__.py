"""General estimators the chapters share: percentile intervals and ridge-penalised GLMs (:mod:`.estimation`),
the Bass diffusion curve and its bootstrap (:mod:`.diffusion`), Erlang C queueing (:mod:`.queueing`).

Arrays and numbers in, numbers out: nothing here knows of prepared packages, settings or chapters."""
