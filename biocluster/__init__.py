"""biocluster: a source-cited graph knowledge base of a regional innovation cluster.

This package is the command line. The library lives beside it: ``loaders`` (sources ->
validated records), ``graph`` (schema, knowledge graph, analysis, rendering, exports) and
``cypher`` (query library and the Neo4j and Ladybug backends).
"""

__version__ = "0.1.0"
