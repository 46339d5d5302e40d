"""biocluster: a source-cited graph knowledge base of a regional innovation cluster.

One import root for the whole library, floor by floor from the bottom:

- ``biocluster_kg.kernel``: the schema, the record model, errors, name folding, fiscal years,
  the cluster profile (the workspace's anchors); everything else builds on it.
- ``biocluster_kg.loaders`` (sources -> validated records), ``biocluster_kg.cypher`` (the
  query library and the Ladybug and Neo4j stores) and ``biocluster_kg.graph`` (analysis,
  the network page, exports): equals above the kernel. In the repository these are the
  top-level folders ``loaders/``, ``cypher/`` and ``graph/``, linked in here.
- ``biocluster_kg.app``: the use-case layer (a session: open a store, load, query, measure,
  export, render) that the command line, the notebooks and the demo all call.
- ``biocluster_kg.cli``: the ``biocluster`` command line, which only parses, calls the
  session once and formats.

``biocluster_kg.data`` is the shipped workspace: the Yamagata knowledge base and its source.
"""

__version__ = "0.1.0"
