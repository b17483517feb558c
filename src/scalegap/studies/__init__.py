"""Studies of the estimators, apart from the product: the calibration harness (:mod:`.calibration`) and the
deployment generator written apart from :mod:`scalegap.simulate` (:mod:`.independent_generator`).  The
pipeline's stages never import them; tests and ``benchmarks/calibration_study.py`` do."""
