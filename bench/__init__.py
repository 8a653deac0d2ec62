"""Performance measurements of Målpil (`make bench` runs ``python -m bench.run``)."""
