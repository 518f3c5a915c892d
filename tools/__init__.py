"""Maintainers' tools: notebook runs, the seed sweep, the scheduler, navigation, the
bench, the results report and the export of taught code. Notebooks never import them."""
