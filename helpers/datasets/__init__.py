"""The data sets and tasks that one notebook each builds on: the electricity demand
series (:mod:`realdata`), Bach chorales (:mod:`chorales`), synthetic sketches
(:mod:`sketches`) and the recall task of the memory experiments (:mod:`memory`)."""
